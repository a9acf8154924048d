import type Stripe from 'stripe';
import type { Acquirer, AcquirerPayment, AcquirerStatus, ChangeCall, CreatePayment } from '../acquirer';
import { pendingPayment } from '../pending-payment';
import { AlreadyApprovedError, RejectedError, ReversalRefusedError, TransientError } from '../errors';
import type { StripeAccount } from './stripe-account';
import { parseRefundId, refundId } from './stripe-payment';

/**
 * Swish's rules on Stripe, as far as this adapter checks them before asking Stripe
 * (docs/providers/stripe-swish.md: which are Stripe's words, which inferred): SEK only, Stripe's
 * minimum charge for SEK, refunds within 13 months of the sale.
 */
export const SWISH = Object.freeze({ currency: 'SEK', minimumMinor: 300, refundWithinMs: 395 * 24 * 60 * 60_000 });

/** What the register shows when Swish or Stripe says no; the activities' texts cover the rest. */
export const SWISH_TEXT = {
  scan: 'Scan the QR code with the Swish app',
  declined: 'The customer declined the payment in Swish',
  currency: 'Swish takes payments in SEK only',
  minimum: 'Swish on Stripe takes at least 3.00 SEK',
  refundNoSale: 'A Swish refund is paid back to the sale it credits (creditpaymentid)',
  refundNotPaid: 'The original sale was not paid with Swish at Stripe',
  refundTooOld: 'Swish refunds are possible only within 13 months of the sale',
  refundTooLarge: 'The refund is larger than what is left of the Swish sale',
} as const;

/** Stripe's code for a payment attempt that ran out of time (a Swish QR nobody paid). */
const EXPIRED = 'payment_intent_payment_attempt_expired';
/** How many intents this process remembers as paid, so a confirm costs no read. */
const PAID_KEPT = 10_000;

type RefundRef = { saleIntent: string; amountMinor: number; paymentid: string };

/** The Swish QR of an intent awaiting the customer: its data is what the register draws. */
export function swishQr(intent: Stripe.PaymentIntent): Stripe.PaymentIntent.NextAction.SwishHandleRedirectOrDisplayQrCode.QrCode | null {
  return intent.next_action?.swish_handle_redirect_or_display_qr_code?.qr_code ?? null;
}

/**
 * Where a Swish intent stands: requires_action is the QR awaiting the customer; succeeded is
 * paid (the money moved: Swish has no authorization to hold or void); a failed attempt is a
 * decline, or an expiry when the QR ran out of time.
 */
export function swishStatus(intent: Stripe.PaymentIntent): AcquirerStatus {
  switch (intent.status) {
    case 'succeeded':
      return 'approved';
    case 'canceled':
      return 'cancelled';
    case 'requires_payment_method':
      if (!intent.last_payment_error) return 'pending';
      return intent.last_payment_error.code === EXPIRED ? 'expired' : 'declined';
    case 'requires_action':
    case 'requires_confirmation':
    case 'requires_capture':
    case 'processing':
    default:
      return 'pending';
  }
}

/** A Swish sale's intent as the activities see an acquirer payment: the QR while pending. */
export function swishPayment(intent: Stripe.PaymentIntent): AcquirerPayment {
  const status = swishStatus(intent);
  const refunded = typeof intent.latest_charge === 'object' && intent.latest_charge !== null ? intent.latest_charge.amount_refunded : 0;
  return {
    id: intent.id,
    reference: intent.metadata.paymentid ?? '',
    kind: 'sale',
    method: 'wallet',
    amountMinor: intent.amount,
    currencycode: intent.currency.toUpperCase(),
    status,
    approvedAt: null,
    reversal: status === 'approved' && refunded >= intent.amount_received && refunded > 0 ? 'done' : 'none',
    confirmed: intent.status === 'succeeded',
    // A paid Swish sale is given back by a Refund, which Swish takes for months.
    lateReversalAllowed: true,
    qrUrl: status === 'pending' ? (swishQr(intent)?.data ?? null) : null,
    ...(status === 'pending' ? { prompt: SWISH_TEXT.scan } : {}),
    declineReason: status === 'declined' ? (intent.last_payment_error?.message ?? SWISH_TEXT.declined) : null,
    receipt: { scheme: 'Swish', reference: intent.id.slice(-10).toUpperCase(), last4: null },
  };
}

/** The one create of a sale's Swish intent: confirmed at once, so its answer carries the QR. */
export function swishIntentRequest(payment: CreatePayment, merchant: string): { params: Stripe.PaymentIntentCreateParams; idempotencyKey: string } {
  // Shown in the customer's Swish app; Swish takes letters and digits, at most 35.
  const reference = payment.reference.replace(/[^A-Za-z0-9]/g, '').slice(0, 35);
  return {
    params: {
      amount: payment.amountMinor,
      currency: payment.currencycode.toLowerCase(),
      allowed_payment_method_types: ['swish'],
      payment_method_data: { type: 'swish' },
      ...(reference === '' ? {} : { payment_method_options: { swish: { reference } } }),
      confirm: true,
      description: `Sitoo POS ${payment.posid}`,
      metadata: { paymentid: payment.reference, merchant, posid: payment.posid },
    },
    idempotencyKey: `${payment.reference}:swish`,
  };
}

/**
 * Swish on Stripe as a wallet acquirer: create makes a PaymentIntent for Swish and confirms it
 * in the same call, so its answer carries the QR the register shows; the customer pays in the
 * Swish app and the money moves at once. There is nothing to capture (confirm only checks) and
 * nothing to void: a sale given back after it was paid (a cancel at ready_to_complete, a silent
 * register, a late cancel) is a Refund. A refund payment that credits a Swish sale is checked at
 * approval and made as a Refund of that sale at confirm, like a card refund.
 */
export class StripeSwish implements Acquirer {
  /** Intents this process saw paid, by id: confirm answers from here. */
  private readonly paid = new Map<string, Stripe.PaymentIntent>();

  constructor(private readonly account: StripeAccount) {}

  async create(payment: CreatePayment, call: ChangeCall): Promise<AcquirerPayment> {
    if (payment.kind === 'refund') return this.approveRefund(payment);
    // Refused here, with the register told why, instead of by Stripe as a bare 400.
    if (payment.currencycode !== SWISH.currency) return this.declinedSale(payment, SWISH_TEXT.currency);
    if (payment.amountMinor < SWISH.minimumMinor) return this.declinedSale(payment, SWISH_TEXT.minimum);
    const { params, idempotencyKey } = swishIntentRequest(payment, this.account.merchant);
    const intent = await this.account.call('create the Swish PaymentIntent', (s) => s.paymentIntents.create(params, { idempotencyKey }), call.signal);
    this.account.remember(payment.reference, intent.id);
    // A replayed answer is the first one (requires_action and its QR): the next read tells what happened since.
    return this.seen(intent);
  }

  async get(id: string, options: { waitMs?: number; signal?: AbortSignal } = {}): Promise<AcquirerPayment> {
    const refund = parseRefundId(id);
    if (refund) return this.refundPayment(refund, await this.account.retrieve(refund.saleIntent), false);
    const until = Date.now() + (options.waitMs ?? 0);
    for (;;) {
      const payment = this.seen(await this.account.polling(() => this.account.retrieve(id, options.signal)));
      if (payment.status !== 'pending' || Date.now() >= until) return payment;
      // No read at the very end of the wait: the caller's next get reads at once.
      if (Date.now() + this.account.pollEveryMs >= until) {
        await this.account.pause(until - Date.now(), options.signal);
        return payment;
      }
      await this.account.pause(this.account.pollEveryMs, options.signal);
    }
  }

  /** Cancels the QR while the customer has not paid; paid meanwhile → AlreadyApprovedError, so the caller gives it back. */
  async cancel(id: string, call: ChangeCall): Promise<AcquirerPayment> {
    const refund = parseRefundId(id);
    if (refund) throw new AlreadyApprovedError(await this.get(id)); // approved, nothing paid out yet: its reversal is a no-op
    const intent = await this.account.retrieve(id, call.signal);
    const status = swishStatus(intent);
    if (status === 'approved') throw new AlreadyApprovedError(this.seen(intent));
    if (status === 'cancelled' || status === 'declined' || status === 'expired') return this.seen(intent);
    try {
      const cancelled = await this.account.call(
        'cancel the Swish PaymentIntent',
        (s) => s.paymentIntents.cancel(id, { cancellation_reason: 'abandoned', expand: ['latest_charge'] }, { idempotencyKey: `${call.idempotencyKey}/intent` }),
        call.signal,
      );
      return this.seen(cancelled);
    } catch (err) {
      // The customer paid (or the QR ended) between the read and the cancel: what it is now decides.
      if (!(err instanceof RejectedError && err.code === 'payment_intent_unexpected_state')) throw err;
      const now = await this.account.retrieve(id, call.signal);
      const status = swishStatus(now);
      if (status === 'approved') throw new AlreadyApprovedError(this.seen(now));
      // Still in flight (processing): neither cancelled nor paid yet, so ask again, never answer "cancelled".
      if (status === 'pending') throw new TransientError(`${id} is ${now.status}: the Swish payment is still settling`);
      return this.seen(now);
    }
  }

  /**
   * A cancel before the create's answer was seen. Known here, or found by search; a search miss
   * (no intent, or Stripe's index lagging a new one) is null: the create's answer never reached
   * the register, so no one was shown its QR, and an unpaid QR expires by itself.
   */
  async cancelByReference(reference: string, call: ChangeCall): Promise<AcquirerPayment | null> {
    const known = this.account.knownIntent(reference);
    const intent = known ? { id: known } : await this.account.findIntent(reference);
    return intent ? this.cancel(intent.id, call) : null;
  }

  /** Gives a paid sale back: a Refund of what is left of it (a refund payment may have taken some). */
  async reverse(id: string, call: ChangeCall): Promise<AcquirerPayment> {
    const refund = parseRefundId(id);
    if (refund) return this.reverseRefund(refund);
    const intent = await this.account.retrieve(id, call.signal);
    const status = swishStatus(intent);
    if (status === 'cancelled' || status === 'declined' || status === 'expired') return this.seen(intent); // nothing was paid
    if (status !== 'approved') throw new RejectedError(`${intent.id} is not paid yet: cancel it instead`, 409, 'not-approved');
    try {
      const made = await this.account.call(
        'refund the Swish payment',
        (s) =>
          s.refunds.create(
            { payment_intent: intent.id, reason: 'requested_by_customer', metadata: { paymentid: intent.metadata.paymentid ?? '', purpose: 'reversal' } },
            { idempotencyKey: `${call.idempotencyKey}/refund` },
          ),
        call.signal,
      );
      if (made.status === 'failed' || made.status === 'canceled') throw new ReversalRefusedError(`Stripe could not refund the Swish payment ${intent.id} (${made.failure_reason ?? made.status})`);
    } catch (err) {
      if (!(err instanceof RejectedError && err.code === 'charge_already_refunded')) throw err;
    }
    return { ...swishPayment(intent), reversal: 'done' };
  }

  /** Nothing to capture: the money moved when the customer paid. A refund payment is paid out here. */
  async confirm(id: string, call: ChangeCall): Promise<AcquirerPayment> {
    const refund = parseRefundId(id);
    if (refund) return this.payRefund(refund, call.idempotencyKey);
    const known = this.paid.get(id);
    if (known) return swishPayment(known);
    const intent = await this.account.retrieve(id, call.signal);
    if (swishStatus(intent) !== 'approved') throw new RejectedError(`${intent.id} is ${intent.status}: not paid`, 409, 'not-approved');
    return this.seen(intent);
  }

  /** The payment an intent stands for, remembering a paid one. */
  private seen(intent: Stripe.PaymentIntent): AcquirerPayment {
    if (intent.status === 'succeeded') {
      this.paid.delete(intent.id);
      this.paid.set(intent.id, intent);
      if (this.paid.size > PAID_KEPT) this.paid.delete(this.paid.keys().next().value as string);
    }
    return swishPayment(intent);
  }

  private declinedSale(payment: CreatePayment, reason: string): AcquirerPayment {
    return {
      ...this.refundShape(payment.reference, payment.amountMinor, payment.currencycode),
      id: `declined:${payment.reference}`,
      kind: 'sale',
      status: 'declined',
      declineReason: reason,
    };
  }

  // --- refund payments ----------------------------------------------------------------------

  /** A refund that credits a paid Swish sale is approved when the sale can take it back. */
  private async approveRefund(payment: CreatePayment): Promise<AcquirerPayment> {
    const declined = (reason: string): AcquirerPayment => ({ ...this.refundShape(payment.reference, payment.amountMinor, payment.currencycode), status: 'declined', declineReason: reason });
    if (payment.originalReference === null) return declined(SWISH_TEXT.refundNoSale);
    const found = await this.account.findIntent(payment.originalReference);
    if (!found || found.status !== 'succeeded' || !found.payment_method_types.includes('swish')) return declined(SWISH_TEXT.refundNotPaid);
    if (found.currency.toUpperCase() !== payment.currencycode) return declined(SWISH_TEXT.currency);
    if (Date.now() - found.created * 1000 > SWISH.refundWithinMs) return declined(SWISH_TEXT.refundTooOld);
    const sale = await this.account.retrieve(found.id);
    const refunded = typeof sale.latest_charge === 'object' && sale.latest_charge !== null ? sale.latest_charge.amount_refunded : 0;
    if (payment.amountMinor > sale.amount_received - refunded) return declined(SWISH_TEXT.refundTooLarge);
    return this.refundPayment({ saleIntent: sale.id, amountMinor: payment.amountMinor, paymentid: payment.reference }, sale, false);
  }

  private async payRefund(refund: RefundRef, idempotencyKey: string): Promise<AcquirerPayment> {
    await this.account.call('refund to the Swish payer', (s) =>
      s.refunds.create(
        { payment_intent: refund.saleIntent, amount: refund.amountMinor, reason: 'requested_by_customer', metadata: { paymentid: refund.paymentid, merchant: this.account.merchant } },
        { idempotencyKey },
      ),
    );
    return this.refundPayment(refund, null, true);
  }

  /** Before confirm nothing was paid out, so nothing goes back; after it Stripe cannot take a refund back. */
  private async reverseRefund(refund: RefundRef): Promise<AcquirerPayment> {
    const paid = await this.account.call('list the refunds of the sale', (s) => s.refunds.list({ payment_intent: refund.saleIntent, limit: 100 }));
    if (paid.data.some((r) => r.metadata?.paymentid === refund.paymentid)) throw new ReversalRefusedError('Stripe does not take back a refund once paid');
    return { ...this.refundPayment(refund, null, false), reversal: 'done' };
  }

  private refundPayment(refund: RefundRef, sale: Stripe.PaymentIntent | null, confirmed: boolean): AcquirerPayment {
    return {
      ...this.refundShape(refund.paymentid, refund.amountMinor, sale ? sale.currency.toUpperCase() : SWISH.currency),
      id: refundId(refund.saleIntent, refund.paymentid, refund.amountMinor),
      status: 'approved',
      confirmed,
      receipt: { scheme: 'Swish', reference: refund.saleIntent.slice(-10).toUpperCase(), last4: null },
    };
  }

  private refundShape(reference: string, amountMinor: number, currencycode: string): AcquirerPayment {
    return pendingPayment({
      id: `refund:${reference}`,
      reference,
      kind: 'refund',
      method: 'wallet',
      amountMinor,
      currencycode,
      lateReversalAllowed: false,
      receipt: { scheme: 'Swish', reference: reference.slice(-10).toUpperCase(), last4: null },
    });
  }
}
