import type Stripe from 'stripe';
import { RejectedError, TerminalBusyError } from '../errors';
import type { StartTransaction, Terminal, TerminalTransaction } from '../terminal';
import type { StripeAccount } from './stripe-account';
import { stripeCode } from './stripe-errors';
import { STRIPE_TEXT } from './stripe-payment';

type Reader = Stripe.Terminal.Reader;
type Head = Pick<TerminalTransaction, 'posid' | 'reference' | 'kind'>;

/** The reader's current action, when it processes this intent. */
function actionFor(reader: Reader | null, intentId: string): Stripe.Terminal.Reader.Action | null {
  const action = reader?.action ?? null;
  const pi = action?.process_payment_intent?.payment_intent;
  const id = typeof pi === 'string' ? pi : pi?.id;
  return action && id === intentId ? action : null;
}

/**
 * What the register's terminal shows, from the intent's status and the reader's action:
 * waiting for a card, processing it, declined (the issuer's reason), cancelled, or read —
 * authorized and held (requires_capture), the intent's id standing in for the card token.
 */
export function readerTransaction(head: Head, intent: Stripe.PaymentIntent, reader: Reader | null): TerminalTransaction {
  const base = { ...head, amountMinor: intent.amount, currencycode: intent.currency.toUpperCase(), cardToken: null };
  const action = actionFor(reader, intent.id);
  switch (intent.status) {
    case 'requires_capture':
    case 'succeeded':
      return { ...base, status: 'card_read', prompt: STRIPE_TEXT.cardRead, cardToken: intent.id };
    case 'canceled':
      return { ...base, status: 'cancelled', prompt: STRIPE_TEXT.cancelled };
    case 'requires_confirmation':
    case 'requires_action':
    case 'processing':
      return { ...base, status: 'prompting', prompt: STRIPE_TEXT.processing };
    case 'requires_payment_method':
    default:
      break;
  }
  if (action?.status === 'in_progress') return { ...base, status: 'prompting', prompt: STRIPE_TEXT.presentCard };
  // The reader finished this intent, yet the intent shows no payment method and no error: the
  // intent was read before the reader (reads queued for the budget, or retried after a 429, can
  // be seconds apart). Not a decline: the next read shows what the authorization gave.
  if (action?.status === 'succeeded' && !intent.last_payment_error) return { ...base, status: 'prompting', prompt: STRIPE_TEXT.processing };
  if (action?.status === 'failed' && action.failure_code === 'customer_canceled') return { ...base, status: 'cancelled', prompt: STRIPE_TEXT.cancelled };
  const reason = intent.last_payment_error?.message ?? action?.failure_message ?? null;
  return { ...base, status: 'declined', prompt: reason ?? STRIPE_TEXT.stopped };
}

/**
 * The registers' Stripe Terminal readers (server-driven): start makes a PaymentIntent with
 * manual capture for card_present and hands it to the register's reader; the reader collects
 * and authorizes the card. Every write carries an Idempotency-Key of the paymentid and the step.
 * get and cancel are given the started transaction (`options.started`) and find the intent by
 * repeating its create (StripeAccount.intentOf), so a worker that never saw the start, or that
 * runs while the start is still in flight elsewhere, finds the same intent without search.
 */
export class StripeTerminal implements Terminal {
  constructor(private readonly account: StripeAccount) {}

  async start(tx: StartTransaction, options: { signal?: AbortSignal } = {}): Promise<TerminalTransaction> {
    const head: Head = { posid: tx.posid, reference: tx.reference, kind: tx.kind };
    const base = { ...head, amountMinor: tx.amountMinor, currencycode: tx.currencycode, cardToken: null };
    if (tx.kind === 'refund') {
      // Stripe pays a card refund back to the sale's card without the reader: nothing to present.
      return { ...base, status: 'card_read', prompt: STRIPE_TEXT.refundToCard, cardToken: `refund:${tx.reference}` };
    }
    const readerId = this.account.readerOf(tx.posid);
    const signal = options.signal;
    const intent = await this.startedIntent(tx, signal);
    if (intent.status !== 'requires_payment_method' || intent.last_payment_error) return this.read(head, intent.id, signal);
    try {
      const reader = await this.account.call(
        'process the PaymentIntent on the reader',
        (s) => s.terminal.readers.processPaymentIntent(readerId, { payment_intent: intent.id }, { idempotencyKey: `${tx.reference}:process` }),
        signal,
      );
      // A first answer shows the reader prompting for this fresh intent: nothing to read again
      // (each read is spent from the account's rate budget). A replay is as it was then: read.
      const replayed = reader.lastResponse?.headers?.['idempotent-replayed'] === 'true';
      if (!replayed && actionFor(reader, intent.id)?.status === 'in_progress') return readerTransaction(head, intent, reader);
    } catch (err) {
      const code = err instanceof RejectedError ? err.code : stripeCode(err);
      if (code === 'terminal_reader_busy') {
        const reader = await this.reader(readerId, false, signal);
        if (!actionFor(reader, intent.id)) throw new TerminalBusyError(`reader ${readerId} is busy with another payment`, await this.openPayment(reader));
      } else if (code === 'terminal_reader_offline') {
        await this.cancelIntent(tx.reference, intent.id, signal);
        return { ...base, status: 'declined', prompt: STRIPE_TEXT.offline };
      } else if (code !== 'payment_intent_unexpected_state') {
        throw err;
      }
    }
    return this.read(head, intent.id, signal);
  }

  /**
   * The sale's intent as it is now: made here (a retried start in this process reads it, no
   * create to replay), or the create sent, whose replay answers the intent as it was first made —
   * after the reader took the card, or a stop cancelled it — so it is read again.
   */
  private async startedIntent(tx: StartTransaction, signal?: AbortSignal): Promise<Stripe.PaymentIntent> {
    const known = this.account.knownIntent(tx.reference);
    if (known) return this.account.retrieve(known, signal);
    const created = await this.account.createIntent(tx, signal);
    return created.replayed ? this.account.retrieve(created.intent.id, signal) : created.intent;
  }

  /** Reads until the prompt differs from `after` or waitMs passes (Stripe has no long-poll). */
  async get(
    posid: string,
    reference: string,
    options: { waitMs?: number; after?: string; signal?: AbortSignal; started?: StartTransaction } = {},
  ): Promise<TerminalTransaction> {
    const head: Head = { posid, reference, kind: 'sale' };
    const until = Date.now() + (options.waitMs ?? 0);
    for (;;) {
      const tx = await this.account.polling(() => this.current(head, options.started, options.signal));
      if (tx.status !== 'prompting' || tx.prompt !== options.after || Date.now() >= until) return tx;
      await this.account.pause(Math.min(this.account.pollEveryMs, Math.max(0, until - Date.now())), options.signal);
    }
  }

  /**
   * Stops the reader and releases the intent. A card already read (authorized, or still being
   * authorized: the reader is busy then) is answered as card_read, so the activities cancel at
   * the acquirer, which waits out the authorization and voids what it held. With `started`, a
   * payment whose create never landed gets its intent made and cancelled here, so the start on
   * its way finds it cancelled: never null. Without it, an intent not known here is looked up by
   * search, and a miss is transient (the index lags), never "nothing to stop".
   */
  async cancel(posid: string, reference: string, options: { signal?: AbortSignal; started?: StartTransaction } = {}): Promise<TerminalTransaction | null> {
    const head: Head = { posid, reference, kind: 'sale' };
    const started = options.started;
    if (started?.kind === 'refund') {
      // A refund never has an intent of its own (its money goes back at confirm): nothing to stop.
      return { ...head, kind: 'refund', amountMinor: started.amountMinor, currencycode: started.currencycode, status: 'cancelled', prompt: STRIPE_TEXT.cancelled, cardToken: null };
    }
    const signal = options.signal;
    const intent = started ? await this.account.intentOf(started, signal) : await this.account.searchedIntent(reference);
    const readerId = this.account.readerOf(posid);
    const reader = await this.reader(readerId, false, signal);
    const tx = readerTransaction(head, intent, reader);
    if (tx.status === 'card_read' || tx.status === 'cancelled') return tx;
    if (tx.prompt === STRIPE_TEXT.processing) return { ...tx, status: 'card_read', cardToken: intent.id };
    if (actionFor(reader, intent.id)?.status === 'in_progress') {
      const stopped = await this.cancelAction(readerId, `${reference}:cancel-action`, signal);
      if (stopped === 'busy') return { ...tx, status: 'card_read', cardToken: intent.id };
    }
    const after = await this.cancelIntent(reference, intent.id, signal);
    let readerAfter = await this.reader(readerId, false, signal);
    // A start elsewhere handed the intent to the reader between our read and the cancel: stop
    // the reader too (its own key: the first cancel-action's stored answer would be replayed).
    if (after.status === 'canceled' && actionFor(readerAfter, intent.id)?.status === 'in_progress') {
      await this.cancelAction(readerId, `${reference}:cancel-action/after-intent`, signal);
      readerAfter = await this.reader(readerId, false, signal);
    }
    const final = readerTransaction(head, after, readerAfter);
    return final.status === 'prompting' ? { ...final, status: 'card_read', cardToken: intent.id } : final;
  }

  /** Stops the reader's action; 'busy' while it authorizes a presented card (too late to stop). */
  private async cancelAction(readerId: string, idempotencyKey: string, signal?: AbortSignal): Promise<'stopped' | 'busy'> {
    try {
      await this.account.call('cancel the reader action', (s) => s.terminal.readers.cancelAction(readerId, {}, { idempotencyKey }), signal);
      return 'stopped';
    } catch (err) {
      const code = err instanceof RejectedError ? err.code : null;
      if (code === 'terminal_reader_busy') return 'busy';
      if (code === 'terminal_reader_invalid_state') return 'stopped';
      throw err;
    }
  }

  private async cancelIntent(reference: string, intentId: string, signal?: AbortSignal): Promise<Stripe.PaymentIntent> {
    try {
      return await this.account.call(
        'cancel the PaymentIntent',
        (s) => s.paymentIntents.cancel(intentId, { cancellation_reason: 'abandoned' }, { idempotencyKey: `${reference}:cancel` }),
        signal,
      );
    } catch (err) {
      // Already cancelled, or authorized meanwhile: what it is now decides.
      if (err instanceof RejectedError && err.code === 'payment_intent_unexpected_state') return this.account.retrieve(intentId, signal);
      throw err;
    }
  }

  /** The reader's action when it is this payment's, else the payment's intent (by its create, or known here). */
  private async current(head: Head, started: StartTransaction | undefined, signal?: AbortSignal): Promise<TerminalTransaction> {
    const readerId = this.account.readerOf(head.posid);
    const reader = await this.reader(readerId, true, signal);
    const action = reader.action?.process_payment_intent?.payment_intent;
    if (action && typeof action === 'object' && action.metadata.paymentid === head.reference) {
      this.account.remember(head.reference, action.id);
      return this.handedOver(head, action, reader);
    }
    const intent = started ? await this.account.intentOf(started, signal) : await this.account.searchedIntent(head.reference);
    return this.handedOver(head, intent, reader);
  }

  /** The reader first, then the intent: an intent read after its reader is never older than the reader's action. */
  private async read(head: Head, intentId: string, signal?: AbortSignal): Promise<TerminalTransaction> {
    const reader = await this.reader(this.account.readerOf(head.posid), false, signal);
    const intent = await this.account.retrieve(intentId, signal);
    return this.handedOver(head, intent, reader);
  }

  /**
   * The transaction; a read card's intent, as just read, goes to the acquirer's create that
   * follows (its card token is the intent's id), so the approval costs no second read of it.
   */
  private handedOver(head: Head, intent: Stripe.PaymentIntent, reader: Reader | null): TerminalTransaction {
    const tx = readerTransaction(head, intent, reader);
    if (tx.status === 'card_read') this.account.handOver(intent);
    return tx;
  }

  private reader(readerId: string, withIntent = false, signal?: AbortSignal): Promise<Reader> {
    return this.account.call(
      `read reader ${readerId}`,
      async (s) => {
        // The action's intent with its charge: a read card's approval needs the card's brand and last four digits.
        const r = await s.terminal.readers.retrieve(readerId, withIntent ? { expand: ['action.process_payment_intent.payment_intent.latest_charge'] } : {});
        if (r.deleted) throw new RejectedError(`reader ${readerId} was deleted`, 404, 'resource_missing');
        return r as Reader;
      },
      signal,
    );
  }

  /** The paymentid the reader is busy with, when its action is one of ours. */
  private async openPayment(reader: Reader): Promise<string | null> {
    const pi = reader.action?.process_payment_intent?.payment_intent;
    if (!pi) return null;
    const intent = typeof pi === 'string' ? await this.account.retrieve(pi).catch(() => null) : pi;
    return intent?.metadata.paymentid ?? null;
  }
}
