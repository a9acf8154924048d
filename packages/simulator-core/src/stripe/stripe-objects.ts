import type { StripeIntentRecord, StripeReaderRecord, StripeRefundRecord, StripeState } from './stripe-state';
import { swishNextAction, swishPaymentDetails } from './stripe-swish';

/** The Charge behind an authorized intent, with its card as the reader read it. */
export function chargeObject(rec: StripeIntentRecord) {
  if (!rec.charge) return null;
  return {
    id: rec.charge.id,
    object: 'charge',
    amount: rec.amount,
    amount_captured: rec.amountReceived,
    amount_refunded: rec.charge.amountRefunded,
    captured: rec.charge.captured,
    currency: rec.currency,
    livemode: false,
    metadata: rec.metadata,
    paid: true,
    payment_intent: rec.id,
    payment_method: rec.paymentMethod,
    payment_method_details: rec.swish
      ? swishPaymentDetails(rec)
      : {
          type: 'card_present',
          card_present: { brand: rec.card?.brand ?? null, last4: rec.card?.last4 ?? null, read_method: 'contactless_emv' },
        },
    refunded: rec.charge.amountRefunded === rec.amountReceived && rec.amountReceived > 0,
    status: 'succeeded',
  };
}

/** A PaymentIntent as Stripe renders it (the fields this service and the SDK read, and their neighbours). */
export function intentObject(rec: StripeIntentRecord, expand: readonly string[] = []) {
  return {
    id: rec.id,
    object: 'payment_intent',
    allowed_payment_method_types: rec.paymentMethodTypes,
    amount: rec.amount,
    amount_capturable: rec.amountCapturable,
    amount_received: rec.amountReceived,
    canceled_at: rec.canceledAt,
    cancellation_reason: rec.cancellationReason,
    capture_method: rec.captureMethod,
    client_secret: `${rec.id}_secret_sim`,
    confirmation_method: 'automatic',
    created: rec.created,
    currency: rec.currency,
    description: rec.description,
    last_payment_error: rec.lastPaymentError ? { type: 'card_error', ...rec.lastPaymentError } : null,
    latest_charge: expand.includes('latest_charge') ? chargeObject(rec) : (rec.charge?.id ?? null),
    livemode: false,
    metadata: rec.metadata,
    next_action: swishNextAction(rec),
    payment_method: rec.paymentMethod,
    payment_method_options: rec.swish ? { swish: { reference: rec.swish.reference } } : {},
    payment_method_types: rec.paymentMethodTypes,
    status: rec.status,
  };
}

/**
 * A Reader with its current action; `expand[]=action.process_payment_intent.payment_intent`
 * inlines the intent, and `….payment_intent.latest_charge` its charge too (a nested expand
 * expands its parents, as at Stripe).
 */
export function readerObject(reader: StripeReaderRecord, state: StripeState, expand: readonly string[] = []) {
  const action = reader.action;
  const intent = action ? state.intents[action.paymentIntent] : undefined;
  const prefix = 'action.process_payment_intent.payment_intent';
  const inline = expand.some((e) => e === prefix || e.startsWith(`${prefix}.`)) && intent;
  const intentExpand = expand.filter((e) => e.startsWith(`${prefix}.`)).map((e) => e.slice(prefix.length + 1));
  return {
    id: reader.id,
    object: 'terminal.reader',
    action: action
      ? {
          type: action.type,
          status: action.status,
          failure_code: action.failureCode,
          failure_message: action.failureMessage,
          process_payment_intent: { payment_intent: inline ? intentObject(intent, intentExpand) : action.paymentIntent },
        }
      : null,
    device_sw_version: '2.40.0.0',
    device_type: 'simulated_wisepos_e',
    ip_address: '0.0.0.0',
    label: reader.id,
    last_seen_at: reader.status === 'online' ? Date.now() : null,
    livemode: false,
    location: null,
    metadata: {},
    serial_number: `sim-${reader.id}`,
    status: reader.status,
  };
}

export function refundObject(refund: StripeRefundRecord) {
  return {
    id: refund.id,
    object: 'refund',
    amount: refund.amount,
    charge: refund.charge,
    created: refund.created,
    currency: refund.currency,
    metadata: refund.metadata,
    payment_intent: refund.paymentIntent,
    reason: refund.reason,
    status: 'succeeded',
  };
}

/**
 * The Stripe side in GET /sim/ledger, keyed by our paymentid (metadata.paymentid): a sale's
 * intent with what it authorized, captured, voided and reversed; a refund payment (a Refund
 * whose metadata names another paymentid) with what it paid back.
 */
export function stripeLedgerEntries(state: StripeState): Record<string, Record<string, unknown>> {
  const out: Record<string, Record<string, unknown>> = {};
  for (const rec of Object.values(state.intents)) {
    const reference = rec.metadata.paymentid;
    if (reference === undefined) continue;
    out[reference] = {
      reference,
      id: rec.id,
      provider: 'stripe',
      merchant: rec.metadata.merchant ?? null,
      kind: 'sale',
      method: rec.swish ? 'wallet' : 'card',
      paymentMethod: rec.swish ? 'swish' : 'card_present',
      currencycode: rec.currency.toUpperCase(),
      amountMinor: rec.amount,
      originalReference: null,
      authorizedMinor: rec.authorizedMinor,
      capturedMinor: rec.capturedMinor,
      voidedMinor: rec.voidedMinor,
      reversedMinor: rec.reversedMinor,
      refundedMinor: 0,
      status: rec.status,
      reversal: rec.voidedMinor > 0 || rec.reversedMinor > 0 ? 'done' : 'none',
      confirmed: rec.capturedMinor > 0,
      events: rec.events,
    };
  }
  for (const refund of Object.values(state.refunds)) {
    const reference = refund.metadata.paymentid;
    const sale = state.intents[refund.paymentIntent];
    if (reference === undefined || !sale || reference === sale.metadata.paymentid) continue;
    const entry = (out[reference] ??= {
      reference,
      id: refund.id,
      provider: 'stripe',
      merchant: sale.metadata.merchant ?? null,
      kind: 'refund',
      method: sale.swish ? 'wallet' : 'card',
      paymentMethod: sale.swish ? 'swish' : 'card_present',
      currencycode: refund.currency.toUpperCase(),
      amountMinor: 0,
      originalReference: sale.metadata.paymentid ?? null,
      authorizedMinor: 0,
      capturedMinor: 0,
      voidedMinor: 0,
      reversedMinor: 0,
      refundedMinor: 0,
      status: 'succeeded',
      reversal: 'none',
      confirmed: true,
      events: [],
    });
    entry.amountMinor = (entry.amountMinor as number) + refund.amount;
    entry.refundedMinor = (entry.refundedMinor as number) + refund.amount;
    (entry.events as unknown[]).push({ at: new Date(refund.created * 1000).toISOString(), type: 'refunded', amountMinor: refund.amount, note: refund.id });
  }
  return out;
}
