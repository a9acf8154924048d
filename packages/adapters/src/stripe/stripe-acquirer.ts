import Stripe from 'stripe';
import type { Acquirer, AcquirerPayment, ChangeCall, CreatePayment } from '../acquirer';
import { pendingPayment } from '../pending-payment';
import { AlreadyApprovedError, RejectedError, ReversalRefusedError, TransientError } from '../errors';
import type { StripeAccount } from './stripe-account';
import { cardOf, intentPayment, parseRefundId, refundId, intentStatus } from './stripe-payment';

/** How long a cancel or reversal waits for an authorization in flight before it is retried. */
const AUTHORIZING_WAIT_MS = 10_000;

/** Stripe's refusal of a capture: the intent as the refusal shows it, and whether the answer is a replay of the key's first. */
interface Refusal {
  intent: Stripe.PaymentIntent | null;
  replayed: boolean;
}

/**
 * Stripe refuses to capture an intent that is not requires_capture with 400
 * payment_intent_unexpected_state, the intent in the error (captured already: "could not be
 * captured because it has already been captured"; cancelled, or still authorizing: "…because it
 * has a status of …"); anything else is no refusal of this kind.
 */
function notCapturable(err: unknown): Refusal | null {
  if (!(err instanceof Stripe.errors.StripeError) || err.code !== 'payment_intent_unexpected_state') return null;
  return { intent: err.payment_intent ?? null, replayed: String(err.headers?.['idempotent-replayed'] ?? '') === 'true' };
}

/**
 * Stripe as the acquirer: an approval is an authorization held on a PaymentIntent
 * (requires_capture); confirm captures it once the register has completed; a reversal before
 * that cancels the intent (the hold is released, no money moved), after it refunds. A refund
 * payment is checked against its sale at approval and made as a Refund only at confirm.
 */
export class StripeAcquirer implements Acquirer {
  constructor(private readonly account: StripeAccount) {}

  /**
   * Nothing is written here: the reader's authorization is the approval, read from the intent —
   * the one the terminal just read (handed over in this process), or read now by its id (the card
   * token) when this process has none, e.g. a worker that restarted between the read and here.
   */
  async create(payment: CreatePayment, call?: ChangeCall): Promise<AcquirerPayment> {
    if (payment.kind === 'refund') return this.approveRefund(payment);
    if (!payment.cardToken) throw new RejectedError('a Stripe card payment needs the PaymentIntent the reader processed', 400, 'bad-request');
    const intent = this.account.takeHandedOver(payment.cardToken) ?? (await this.account.retrieve(payment.cardToken, call?.signal));
    if (intent.metadata.paymentid !== payment.reference) throw new RejectedError(`${intent.id} belongs to another payment`, 422, 'card-token-mismatch');
    return intentPayment(intent);
  }

  async get(id: string, options: { waitMs?: number; signal?: AbortSignal } = {}): Promise<AcquirerPayment> {
    const refund = parseRefundId(id);
    if (refund) return this.refundPayment(refund, await this.account.retrieve(refund.saleIntent), false);
    const until = Date.now() + (options.waitMs ?? 0);
    for (;;) {
      const payment = intentPayment(await this.account.polling(() => this.account.retrieve(id, options.signal)));
      if (payment.status !== 'pending' || Date.now() >= until) return payment;
      await this.account.pause(Math.min(this.account.pollEveryMs, until - Date.now()), options.signal);
    }
  }

  async cancel(id: string, call: ChangeCall): Promise<AcquirerPayment> {
    const refund = parseRefundId(id);
    if (refund) throw new AlreadyApprovedError(await this.get(id)); // approved, nothing paid yet: the reversal is a no-op
    const intent = await this.settled(id, call.signal);
    const status = intentStatus(intent);
    if (status === 'approved') throw new AlreadyApprovedError(intentPayment(intent));
    if (intent.status === 'canceled') return intentPayment(intent);
    // Its own key: the terminal's cancel of the same intent (`<paymentid>:cancel`) sends other parameters.
    return intentPayment(await this.cancelIntent(intent, `${call.idempotencyKey}/intent`, call.signal));
  }

  /**
   * Never null: the activities come here once the terminal's cancel found the intent (in this
   * process, so it is known); otherwise a search miss is Stripe's index lagging, not proof that
   * no intent exists, and it is transient.
   */
  async cancelByReference(reference: string, call: ChangeCall): Promise<AcquirerPayment | null> {
    const intent = await this.account.searchedIntent(reference);
    return this.cancel(intent.id, call);
  }

  async reverse(id: string, call: ChangeCall): Promise<AcquirerPayment> {
    const refund = parseRefundId(id);
    if (refund) return this.reverseRefund(refund);
    const intent = await this.settled(id, call.signal);
    switch (intent.status) {
      case 'requires_capture':
        return { ...intentPayment(await this.cancelIntent(intent, `${call.idempotencyKey}/void`, call.signal)), status: 'approved', reversal: 'done' };
      case 'succeeded': {
        try {
          await this.account.call(
            'refund the captured payment',
            (s) =>
              s.refunds.create(
                { payment_intent: intent.id, reason: 'requested_by_customer', metadata: { paymentid: intent.metadata.paymentid ?? '', purpose: 'reversal' } },
                { idempotencyKey: `${call.idempotencyKey}/refund` },
              ),
            call.signal,
          );
        } catch (err) {
          if (!(err instanceof RejectedError && err.code === 'charge_already_refunded')) throw err;
        }
        return { ...intentPayment(intent), reversal: 'done' };
      }
      case 'canceled':
        return intentPayment(intent);
      case 'requires_payment_method':
      case 'requires_confirmation':
      case 'requires_action':
      case 'processing':
      default:
        if (intent.last_payment_error) return intentPayment(intent); // never approved: nothing to give back
        throw new RejectedError(`${intent.id} is not approved yet: cancel it instead`, 409, 'not-approved');
    }
  }

  async confirm(id: string, call: ChangeCall): Promise<AcquirerPayment> {
    const refund = parseRefundId(id);
    if (refund) return this.payRefund(refund, call.idempotencyKey);
    // Captured without reading first: Stripe's refusal says what the intent is instead.
    const answer = await this.account.call(
      'capture the PaymentIntent',
      async (s): Promise<{ captured: Stripe.PaymentIntent } | { refused: Refusal }> => {
        try {
          return { captured: await s.paymentIntents.capture(id, { expand: ['latest_charge'] }, { idempotencyKey: call.idempotencyKey }) };
        } catch (err) {
          const refused = notCapturable(err);
          if (refused) return { refused };
          throw err;
        }
      },
      call.signal,
    );
    if ('captured' in answer) return intentPayment(answer.captured);
    const { intent: shown, replayed } = answer.refused;
    // A replayed refusal shows the intent as it was then; a captured one is read for its card.
    const intent = shown && !replayed && shown.status !== 'succeeded' ? shown : await this.account.retrieve(id, call.signal);
    switch (intent.status) {
      case 'succeeded':
        return intentPayment(intent); // captured before (an earlier attempt whose answer was lost): done
      case 'requires_confirmation':
      case 'processing':
        throw new TransientError(`${intent.id} is ${intent.status}: captured once it settles`);
      case 'requires_capture':
        // Capturable now, yet this key's refusal is what Stripe replays: retried (never a second key: never two captures).
        throw new TransientError(`${intent.id} is capturable, but the capture under this key was refused while it was not`);
      case 'canceled':
      case 'requires_payment_method':
      case 'requires_action':
      default:
        throw new RejectedError(`${intent.id} is ${intent.status}: nothing to capture`, 409, 'not-approved');
    }
  }

  /** The intent once no authorization is in flight on it; still authorizing after a while → transient. */
  private async settled(id: string, signal?: AbortSignal): Promise<Stripe.PaymentIntent> {
    const until = Date.now() + AUTHORIZING_WAIT_MS;
    for (;;) {
      const intent = await this.account.retrieve(id, signal);
      if (intent.status !== 'requires_confirmation' && intent.status !== 'processing') return intent;
      if (Date.now() >= until) throw new TransientError(`${id} is still being authorized on the reader`);
      await this.account.pause(this.account.pollEveryMs, signal);
    }
  }

  /** Cancels the intent (releasing any hold); the reader's action goes with it. */
  private async cancelIntent(intent: Stripe.PaymentIntent, idempotencyKey: string, signal?: AbortSignal): Promise<Stripe.PaymentIntent> {
    try {
      return await this.account.call(
        'cancel the PaymentIntent',
        (s) => s.paymentIntents.cancel(intent.id, { cancellation_reason: 'abandoned', expand: ['latest_charge'] }, { idempotencyKey }),
        signal,
      );
    } catch (err) {
      // Cancelled meanwhile (a retry after a lost answer), or captured: read what it is.
      if (err instanceof RejectedError && err.code === 'payment_intent_unexpected_state') return this.account.retrieve(intent.id, signal);
      throw err;
    }
  }

  // --- refund payments ----------------------------------------------------------------------

  /** A refund that credits a captured sale is approved when the sale can take it back. */
  private async approveRefund(payment: CreatePayment): Promise<AcquirerPayment> {
    const declined = (reason: string): AcquirerPayment => ({
      ...this.refundShape(payment.reference, payment.amountMinor, payment.currencycode, null),
      status: 'declined',
      declineReason: reason,
    });
    if (payment.originalReference === null) return declined('Stripe pays a card refund back only to the sale it credits (creditpaymentid)');
    const sale = await this.account.findIntent(payment.originalReference);
    if (!sale || sale.status !== 'succeeded') return declined('The original sale was not captured at Stripe');
    if (sale.currency.toUpperCase() !== payment.currencycode) return declined('The original sale does not match');
    const id = refundId(sale.id, payment.reference, payment.amountMinor);
    return this.refundPayment(parseRefundId(id) ?? { saleIntent: sale.id, amountMinor: payment.amountMinor, paymentid: payment.reference }, sale, false);
  }

  private async payRefund(refund: { saleIntent: string; amountMinor: number; paymentid: string }, idempotencyKey: string): Promise<AcquirerPayment> {
    await this.account.call('refund to the original card', (s) =>
      s.refunds.create(
        { payment_intent: refund.saleIntent, amount: refund.amountMinor, reason: 'requested_by_customer', metadata: { paymentid: refund.paymentid, merchant: this.account.merchant } },
        { idempotencyKey },
      ),
    );
    return this.refundPayment(refund, await this.account.retrieve(refund.saleIntent), true);
  }

  /** Before confirm nothing was paid out, so nothing goes back; after it Stripe cannot take a refund back. */
  private async reverseRefund(refund: { saleIntent: string; amountMinor: number; paymentid: string }): Promise<AcquirerPayment> {
    const paid = await this.account.call('list the refunds of the sale', (s) => s.refunds.list({ payment_intent: refund.saleIntent, limit: 100 }));
    if (paid.data.some((r) => r.metadata?.paymentid === refund.paymentid)) throw new ReversalRefusedError('Stripe does not take back a refund once paid');
    return { ...(await this.refundPayment(refund, await this.account.retrieve(refund.saleIntent), false)), reversal: 'done' };
  }

  private refundPayment(refund: { saleIntent: string; amountMinor: number; paymentid: string }, sale: Stripe.PaymentIntent, confirmed: boolean): AcquirerPayment {
    const { scheme, last4 } = cardOf(sale);
    return {
      ...this.refundShape(refund.paymentid, refund.amountMinor, sale.currency.toUpperCase(), { scheme, last4, reference: sale.id.slice(-10).toUpperCase() }),
      id: refundId(refund.saleIntent, refund.paymentid, refund.amountMinor),
      status: 'approved',
      confirmed,
    };
  }

  private refundShape(reference: string, amountMinor: number, currencycode: string, receipt: AcquirerPayment['receipt'] | null): AcquirerPayment {
    return pendingPayment({
      id: `refund:${reference}`,
      reference,
      kind: 'refund',
      method: 'card',
      amountMinor,
      currencycode,
      lateReversalAllowed: false,
      receipt: receipt ?? { scheme: 'Card', reference: reference.slice(-10).toUpperCase(), last4: null },
    });
  }
}
