import { randomBytes } from 'node:crypto';
import type { LedgerStore } from '../ledger-store';
import type { LedgerEvent } from '../state';
import { param, type Form } from './form';
import { StripeFaults } from './stripe-faults';
import { declineFor, type Decline } from './test-amounts';
import { emptyStripeState, type StripeIntentRecord, type StripeReaderRecord, type StripeRefundRecord, type StripeState } from './stripe-state';
import { DEFAULT_SWISH_CUSTOMER, SWISH_TEXT, checkSwishIntent, type SwishCustomer } from './stripe-swish';
import { StripeWireError, missing } from './stripe-wire-error';
import type { StripeChange } from './stripe-webhooks';

export interface StripeSimOptions {
  store: LedgerStore;
  clock: () => number;
  /** How long the simulated customer takes from "Present card" to the authorization's answer. */
  approveDelayMs: number;
  log: (line: Record<string, unknown>) => void;
  /** Told of each change Stripe raises an event for (stripe-webhooks.ts sends them). */
  onChange?: (change: StripeChange) => void;
}

/** The test card a reader reads when none is named: Stripe's Visa test number. */
const DEFAULT_CARD = '4242424242424242';
/** Amounts ending in .52: the simulated customer never presents a card (our addition, not Stripe's). */
const NEVER_PRESENTED = 52;

const id = (prefix: string) => `${prefix}_${randomBytes(12).toString('base64url').replace(/[-_]/g, 'x')}`;

const brandOf = (number: string) => (number.startsWith('5') ? 'mastercard' : number.startsWith('3') ? 'amex' : 'visa');

/** Renders an intent for error bodies (payment_intent_unexpected_state carries it, as Stripe's does). */
export type IntentView = (rec: StripeIntentRecord) => unknown;

/**
 * A Stripe account's PaymentIntents, Refunds and server-driven readers: the state machines the
 * Stripe Terminal adapter drives, with the money each intent moved kept for the ledger.
 * Methods change the state synchronously; callers commit the store before they answer.
 */
export class StripeSim {
  readonly state: StripeState;
  /** The search lag and the held answers tests set (POST /sim/stripe/faults). */
  readonly faults: StripeFaults;
  /** Idempotency slots whose first request is still executing: a replay meanwhile gets 409. */
  readonly inFlight = new Set<string>();
  /** Each reader's and each Swish intent's next simulated step, keyed by reader or intent id. */
  private readonly timers = new Map<string, NodeJS.Timeout>();
  /** How the simulated Swish customer behaves (POST /sim/stripe/swish). Memory only. */
  swishCustomer: SwishCustomer = { ...DEFAULT_SWISH_CUSTOMER };

  constructor(
    private readonly o: StripeSimOptions,
    private readonly intentView: IntentView,
  ) {
    o.store.state.stripe ??= emptyStripeState();
    this.state = o.store.state.stripe;
    this.faults = new StripeFaults(o.clock);
  }

  /** Schedules the readers' and the Swish payers' simulated customers that were due when the ledger was last written. */
  resume(): void {
    for (const reader of Object.values(this.state.readers)) this.schedule(reader);
    for (const rec of Object.values(this.state.intents)) this.scheduleSwish(rec);
  }

  close(): void {
    this.faults.close();
    for (const t of this.timers.values()) clearTimeout(t);
    this.timers.clear();
  }

  // --- PaymentIntents -----------------------------------------------------------------------

  /** A new intent; `publicUrl` is the simulator's address as the caller used it (a Swish QR's pay page is under it). */
  createIntent(account: string, form: Form, publicUrl = 'http://127.0.0.1'): StripeIntentRecord {
    const amount = param.integer(form, 'amount');
    const currency = param.string(form, 'currency');
    if (!/^[a-z]{3}$/.test(currency)) throw new StripeWireError(400, 'invalid_request_error', `Invalid currency: ${currency}.`, { param: 'currency' });
    const captureMethod = param.optionalString(form, 'capture_method') ?? 'automatic';
    if (captureMethod !== 'automatic' && captureMethod !== 'manual') {
      throw new StripeWireError(400, 'invalid_request_error', 'Invalid capture_method: must be one of automatic or manual', { param: 'capture_method' });
    }
    // API versions from 2026-09-30.endive name it allowed_payment_method_types; older ones payment_method_types.
    const types = form.allowed_payment_method_types !== undefined ? param.list(form, 'allowed_payment_method_types') : param.list(form, 'payment_method_types');
    if (types.includes('swish')) checkSwishIntent({ amount, currency, captureMethod });
    const confirm = param.optionalString(form, 'confirm') === 'true';
    const methodData = form.payment_method_data;
    const confirmedType = typeof methodData === 'object' && !Array.isArray(methodData) && typeof methodData.type === 'string' ? methodData.type : null;
    if (confirm && (confirmedType !== 'swish' || !types.includes('swish'))) {
      throw new StripeWireError(400, 'invalid_request_error', 'The simulator confirms at create only Swish intents (payment_method_data[type]=swish, allowed_payment_method_types[]=swish).', {
        param: 'confirm',
      });
    }
    const now = this.now();
    const rec: StripeIntentRecord = {
      id: id('pi'),
      account,
      amount,
      currency,
      status: 'requires_payment_method',
      captureMethod,
      paymentMethodTypes: types.length > 0 ? types : ['card'],
      metadata: param.metadata(form),
      description: param.optionalString(form, 'description'),
      created: Math.floor(now / 1000),
      canceledAt: null,
      cancellationReason: null,
      amountCapturable: 0,
      amountReceived: 0,
      lastPaymentError: null,
      paymentMethod: null,
      card: null,
      charge: null,
      authorizedMinor: 0,
      capturedMinor: 0,
      voidedMinor: 0,
      reversedMinor: 0,
      events: [],
    };
    this.state.intents[rec.id] = rec;
    this.event(rec, 'created', { amountMinor: amount });
    this.raise({ type: 'payment_intent.created', intent: rec });
    if (confirm) this.startSwish(rec, form, publicUrl);
    return rec;
  }

  intent(account: string, intentId: string): StripeIntentRecord {
    const rec = this.state.intents[intentId];
    if (!rec || rec.account !== account) throw missing('payment_intent', intentId, 'intent');
    return rec;
  }

  /**
   * The search API, for `metadata['key']:'value'` clauses joined by AND (all this service asks).
   * An intent newer than the search lag (POST /sim/stripe/faults) is not found yet, as at Stripe.
   */
  search(account: string, query: string): StripeIntentRecord[] {
    const clauses = query.split(/\s+AND\s+/i).map((c) => /^metadata\[['"]([^'"\]]+)['"]\]:['"]([^'"]*)['"]$/.exec(c.trim()));
    if (clauses.length === 0 || clauses.some((c) => c === null)) {
      throw new StripeWireError(400, 'invalid_request_error', `The simulator answers only metadata['key']:'value' queries, got ${JSON.stringify(query)}`, { param: 'query' });
    }
    return Object.values(this.state.intents)
      .filter((rec) => rec.account === account && this.faults.searchable(rec.created) && clauses.every((c) => rec.metadata[(c as RegExpExecArray)[1] as string] === (c as RegExpExecArray)[2]))
      .sort((a, b) => b.created - a.created);
  }

  capture(account: string, intentId: string, form: Form): StripeIntentRecord {
    const rec = this.intent(account, intentId);
    if (rec.status !== 'requires_capture') {
      // Stripe's words: the code and the intent decide, the message tells a person which case.
      const why = rec.status === 'succeeded' ? 'it has already been captured' : `it has a status of ${rec.status}`;
      throw new StripeWireError(400, 'invalid_request_error', `This PaymentIntent could not be captured because ${why}.`, {
        code: 'payment_intent_unexpected_state',
        payment_intent: this.intentView(rec),
      });
    }
    const requested = form.amount_to_capture === undefined ? rec.amountCapturable : param.integer(form, 'amount_to_capture');
    if (requested > rec.amountCapturable) {
      throw new StripeWireError(400, 'invalid_request_error', 'The amount to capture is greater than the amount capturable.', { code: 'amount_too_large', param: 'amount_to_capture' });
    }
    const released = rec.amountCapturable - requested;
    rec.status = 'succeeded';
    rec.amountReceived = requested;
    rec.amountCapturable = 0;
    if (rec.charge) rec.charge.captured = true;
    rec.capturedMinor += requested;
    this.event(rec, 'captured', { amountMinor: requested });
    if (released > 0) {
      rec.voidedMinor += released;
      this.event(rec, 'voided', { amountMinor: released, note: 'the uncaptured rest released' });
    }
    this.raise({ type: 'payment_intent.succeeded', intent: rec });
    return rec;
  }

  cancelIntent(account: string, intentId: string, form: Form): StripeIntentRecord {
    const rec = this.intent(account, intentId);
    const reader = this.readerProcessing(rec.id);
    if (rec.status === 'succeeded' || rec.status === 'canceled' || reader?.phase === 'authorizing') throw this.unexpected(rec, 'cancel');
    if (reader) this.failAction(reader, 'customer_canceled', 'The PaymentIntent was canceled.');
    if (rec.swish) this.clearTimer(rec.id);
    if (rec.status === 'requires_capture') {
      rec.voidedMinor += rec.amountCapturable;
      this.event(rec, 'voided', { amountMinor: rec.amountCapturable, note: 'authorization released' });
      rec.amountCapturable = 0;
    }
    rec.status = 'canceled';
    rec.canceledAt = Math.floor(this.now() / 1000);
    rec.cancellationReason = param.optionalString(form, 'cancellation_reason') ?? 'requested_by_customer';
    this.event(rec, 'cancelled', { note: rec.cancellationReason });
    this.raise({ type: 'payment_intent.canceled', intent: rec });
    return rec;
  }

  // --- Refunds ------------------------------------------------------------------------------

  createRefund(account: string, form: Form): StripeRefundRecord {
    const intentId = param.string(form, 'payment_intent');
    const rec = this.intent(account, intentId);
    if (rec.status !== 'succeeded' || !rec.charge) {
      throw new StripeWireError(400, 'invalid_request_error', `This PaymentIntent (${rec.id}) does not have a successful charge to refund.`, {
        code: 'charge_not_refundable',
        param: 'payment_intent',
      });
    }
    const remaining = rec.amountReceived - rec.charge.amountRefunded;
    if (remaining === 0) throw new StripeWireError(400, 'invalid_request_error', `Charge ${rec.charge.id} has already been refunded.`, { code: 'charge_already_refunded' });
    const amount = form.amount === undefined ? remaining : param.integer(form, 'amount');
    if (amount > remaining) {
      throw new StripeWireError(400, 'invalid_request_error', `Refund amount (${amount}) is greater than unrefunded amount on charge (${remaining})`, {
        code: 'amount_too_large',
        param: 'amount',
      });
    }
    const refund: StripeRefundRecord = {
      id: id('re'),
      account,
      amount,
      currency: rec.currency,
      paymentIntent: rec.id,
      charge: rec.charge.id,
      metadata: param.metadata(form),
      reason: param.optionalString(form, 'reason'),
      created: Math.floor(this.now() / 1000),
    };
    this.state.refunds[refund.id] = refund;
    rec.charge.amountRefunded += amount;
    const forSale = refund.metadata.paymentid === undefined || refund.metadata.paymentid === rec.metadata.paymentid;
    if (forSale) {
      rec.reversedMinor += amount;
      this.event(rec, 'reversed', { amountMinor: amount, note: `refund ${refund.id}` });
    } else {
      this.event(rec, 'refunded', { amountMinor: amount, note: `refund ${refund.id} for ${refund.metadata.paymentid}` });
    }
    this.raise({ type: 'refund.created', refund });
    this.raise({ type: 'charge.refunded', intent: rec });
    return refund;
  }

  // --- Swish --------------------------------------------------------------------------------

  /** The intent behind a Swish QR, for the pay page (the customer's phone holds no API key). */
  swishIntent(intentId: string): StripeIntentRecord {
    const rec = this.state.intents[intentId];
    if (!rec?.swish) throw missing('payment_intent', intentId, 'intent');
    return rec;
  }

  /**
   * The customer answers the payment request in the Swish app (the pay page, or the simulated
   * customer): paid, the money moves at once (Swish has no separate capture); declined, the
   * intent wants a new payment method. A request no longer awaiting an answer is refused.
   */
  answerSwish(intentId: string, answer: 'pay' | 'decline'): StripeIntentRecord {
    const rec = this.swishIntent(intentId);
    if (rec.status === 'requires_action' && this.now() >= (rec.swish?.expiresAt ?? 0)) this.expireSwish(rec);
    if (rec.status !== 'requires_action') {
      throw new StripeWireError(400, 'invalid_request_error', `This Swish payment request is no longer payable: the PaymentIntent has a status of ${rec.status}.`, {
        code: 'payment_intent_unexpected_state',
      });
    }
    this.clearTimer(rec.id);
    if (answer === 'pay') this.paySwish(rec);
    else this.declineSwish(rec, 'payment_method_customer_decline', SWISH_TEXT.declined);
    return rec;
  }

  private startSwish(rec: StripeIntentRecord, form: Form, publicUrl: string): void {
    const options = form.payment_method_options;
    const swish = typeof options === 'object' && !Array.isArray(options) ? options.swish : undefined;
    const reference = typeof swish === 'object' && !Array.isArray(swish) && typeof swish.reference === 'string' && swish.reference !== '' ? swish.reference : null;
    const now = this.now();
    const customer = this.swishCustomer;
    const silent = customer.mode === 'waits' || rec.amount % 100 === NEVER_PRESENTED;
    rec.status = 'requires_action';
    rec.paymentMethod = id('pm');
    rec.swish = {
      reference,
      qrData: `${publicUrl}/swish/${rec.id}`,
      expiresAt: now + customer.expiryMs,
      answerAt: silent ? null : now + this.o.approveDelayMs,
      answer: declineFor(rec.amount, DEFAULT_CARD) ? 'decline' : 'pay',
      phoneLast4: '4242',
    };
    this.raise({ type: 'payment_intent.requires_action', intent: rec });
    this.scheduleSwish(rec);
  }

  private paySwish(rec: StripeIntentRecord): void {
    rec.status = 'succeeded';
    rec.charge = { id: id('py'), captured: true, amountRefunded: 0 };
    rec.amountReceived = rec.amount;
    rec.authorizedMinor += rec.amount;
    rec.capturedMinor += rec.amount;
    this.event(rec, 'captured', { amountMinor: rec.amount, note: 'paid in Swish' });
    this.raise({ type: 'payment_intent.succeeded', intent: rec });
    this.o.log({ msg: 'stripe swish intent', id: rec.id, status: rec.status });
  }

  private declineSwish(rec: StripeIntentRecord, code: string, message: string): void {
    rec.status = 'requires_payment_method';
    rec.paymentMethod = null;
    rec.lastPaymentError = { type: 'invalid_request_error', code, decline_code: code, message };
    this.event(rec, code === 'payment_intent_payment_attempt_expired' ? 'expired' : 'declined', { note: code });
    this.raise({ type: 'payment_intent.payment_failed', intent: rec });
    this.o.log({ msg: 'stripe swish intent', id: rec.id, status: rec.status, code });
  }

  private expireSwish(rec: StripeIntentRecord): void {
    this.clearTimer(rec.id);
    this.declineSwish(rec, 'payment_intent_payment_attempt_expired', SWISH_TEXT.expired);
  }

  /** The simulated customer's answer, or the QR's expiry, whichever comes first. */
  private scheduleSwish(rec: StripeIntentRecord): void {
    const swish = rec.swish;
    if (!swish || rec.status !== 'requires_action' || this.timers.has(rec.id)) return;
    // Which comes first is decided here, not by reading the clock when the timer fires: a
    // timer may fire a millisecond before the wall clock reaches its time, and a customer who
    // never answers must never be taken to have paid.
    const expires = swish.expiresAt <= (swish.answerAt ?? Infinity);
    const due = expires ? swish.expiresAt : (swish.answerAt as number);
    const timer = setTimeout(
      () => {
        this.timers.delete(rec.id);
        if (rec.status !== 'requires_action') return;
        if (expires) this.expireSwish(rec);
        else if (swish.answer === 'pay') this.paySwish(rec);
        else this.declineSwish(rec, 'payment_method_customer_decline', SWISH_TEXT.declined);
        this.o.store.commit().catch((err: unknown) => this.o.log({ level: 'error', msg: 'ledger write failed', err: String(err) }));
      },
      Math.max(0, due - this.o.clock()),
    );
    this.timers.set(rec.id, timer);
  }

  // --- Readers ------------------------------------------------------------------------------

  /** A reader of this account; any `tmr_` id is a simulated reader, online unless its id says offline. */
  reader(account: string, readerId: string): StripeReaderRecord {
    const existing = this.state.readers[readerId];
    if (existing) {
      if (existing.account !== account) throw missing('terminal.reader', readerId, 'reader');
      return existing;
    }
    if (!/^tmr_[A-Za-z0-9_]+$/.test(readerId)) throw missing('terminal.reader', readerId, 'reader');
    const rec: StripeReaderRecord = {
      id: readerId,
      account,
      status: /offline/i.test(readerId) ? 'offline' : 'online',
      action: null,
      phase: null,
      cardNumber: null,
      presentAt: null,
      decideAt: null,
    };
    this.state.readers[readerId] = rec;
    return rec;
  }

  processPaymentIntent(account: string, readerId: string, form: Form): StripeReaderRecord {
    const reader = this.reader(account, readerId);
    const rec = this.intent(account, param.string(form, 'payment_intent'));
    if (reader.status === 'offline') {
      throw new StripeWireError(400, 'invalid_request_error', 'Reader is currently offline, please ensure the reader is powered on and connected to the internet.', {
        code: 'terminal_reader_offline',
      });
    }
    if (reader.action?.status === 'in_progress') throw busy();
    if (!rec.paymentMethodTypes.includes('card_present')) {
      throw new StripeWireError(400, 'invalid_request_error', 'The PaymentIntent must allow card_present (allowed_payment_method_types).', { param: 'payment_intent' });
    }
    if (rec.status !== 'requires_payment_method') throw this.unexpected(rec, 'process');
    reader.action = { type: 'process_payment_intent', status: 'in_progress', failureCode: null, failureMessage: null, paymentIntent: rec.id };
    reader.phase = 'collecting';
    reader.cardNumber = null;
    reader.decideAt = null;
    reader.presentAt = rec.amount % 100 === NEVER_PRESENTED ? null : this.now() + Math.floor(this.o.approveDelayMs / 2);
    rec.lastPaymentError = null;
    this.schedule(reader);
    return reader;
  }

  cancelAction(account: string, readerId: string): StripeReaderRecord {
    const reader = this.reader(account, readerId);
    if (reader.action?.status !== 'in_progress') {
      throw new StripeWireError(400, 'invalid_request_error', 'This reader has no action in progress to cancel.', { code: 'terminal_reader_invalid_state' });
    }
    if (reader.phase === 'authorizing') throw busy();
    this.failAction(reader, 'customer_canceled', 'The action was canceled.');
    return reader;
  }

  /** The test helper: the customer taps a card on a reader that is waiting for one. */
  presentPaymentMethod(account: string, readerId: string, form: Form): StripeReaderRecord {
    const reader = this.reader(account, readerId);
    if (reader.action?.status !== 'in_progress' || reader.phase !== 'collecting') {
      throw new StripeWireError(400, 'invalid_request_error', 'The reader is not waiting for a payment method.', { code: 'terminal_reader_invalid_state' });
    }
    const card = form.card_present;
    const number = typeof card === 'object' && !Array.isArray(card) && typeof card.number === 'string' ? card.number : DEFAULT_CARD;
    this.present(reader, number);
    return reader;
  }

  /** The reader whose current action is processing this intent, if any. */
  readerProcessing(intentId: string): StripeReaderRecord | undefined {
    return Object.values(this.state.readers).find((r) => r.action?.status === 'in_progress' && r.action.paymentIntent === intentId);
  }

  // --- the simulated customer ---------------------------------------------------------------

  private present(reader: StripeReaderRecord, number: string): void {
    const rec = reader.action ? this.state.intents[reader.action.paymentIntent] : undefined;
    if (!rec) return;
    reader.phase = 'authorizing';
    reader.cardNumber = number;
    reader.presentAt = null;
    reader.decideAt = this.now() + Math.floor(this.o.approveDelayMs / 2);
    rec.status = 'requires_confirmation';
    rec.paymentMethod = id('pm');
    rec.card = { brand: brandOf(number), last4: number.slice(-4) };
    this.clearTimer(reader.id);
    this.schedule(reader);
  }

  private decide(reader: StripeReaderRecord): void {
    const rec = reader.action ? this.state.intents[reader.action.paymentIntent] : undefined;
    if (!rec || !reader.action) return;
    reader.decideAt = null;
    reader.phase = null;
    const decline = declineFor(rec.amount, reader.cardNumber ?? DEFAULT_CARD);
    if (decline) return this.declined(reader, rec, decline);
    rec.charge = { id: id('ch'), captured: false, amountRefunded: 0 };
    rec.authorizedMinor += rec.amount;
    this.event(rec, 'authorized', { amountMinor: rec.amount, note: `${rec.card?.brand ?? 'card'} ${rec.card?.last4 ?? ''}`.trim() });
    if (rec.captureMethod === 'manual') {
      rec.status = 'requires_capture';
      rec.amountCapturable = rec.amount;
    } else {
      rec.status = 'succeeded';
      rec.amountReceived = rec.amount;
      rec.charge.captured = true;
      rec.capturedMinor += rec.amount;
      this.event(rec, 'captured', { amountMinor: rec.amount });
    }
    reader.action.status = 'succeeded';
    this.raise({ type: rec.status === 'succeeded' ? 'payment_intent.succeeded' : 'payment_intent.amount_capturable_updated', intent: rec });
    this.raise({ type: 'terminal.reader.action_succeeded', reader });
    this.o.log({ msg: 'stripe intent', id: rec.id, status: rec.status });
  }

  private declined(reader: StripeReaderRecord, rec: StripeIntentRecord, decline: Decline): void {
    rec.status = 'requires_payment_method';
    rec.paymentMethod = null;
    rec.lastPaymentError = { code: 'card_declined', decline_code: decline.code, message: decline.message };
    this.event(rec, 'declined', { note: decline.code });
    this.raise({ type: 'payment_intent.payment_failed', intent: rec });
    this.failAction(reader, 'card_declined', decline.message);
    this.o.log({ msg: 'stripe intent', id: rec.id, status: rec.status, decline: decline.code });
  }

  private failAction(reader: StripeReaderRecord, code: string, message: string): void {
    if (reader.action) {
      reader.action.status = 'failed';
      reader.action.failureCode = code;
      reader.action.failureMessage = message;
      this.raise({ type: 'terminal.reader.action_failed', reader });
    }
    reader.phase = null;
    reader.presentAt = null;
    reader.decideAt = null;
    this.clearTimer(reader.id);
  }

  private schedule(reader: StripeReaderRecord): void {
    const due = reader.phase === 'collecting' ? reader.presentAt : reader.phase === 'authorizing' ? reader.decideAt : null;
    if (due === null || this.timers.has(reader.id)) return;
    const timer = setTimeout(
      () => {
        this.timers.delete(reader.id);
        if (reader.phase === 'collecting') this.present(reader, DEFAULT_CARD);
        else if (reader.phase === 'authorizing') this.decide(reader);
        this.o.store.commit().catch((err: unknown) => this.o.log({ level: 'error', msg: 'ledger write failed', err: String(err) }));
      },
      Math.max(0, due - this.o.clock()),
    );
    this.timers.set(reader.id, timer);
  }

  private clearTimer(key: string): void {
    clearTimeout(this.timers.get(key));
    this.timers.delete(key);
  }

  private unexpected(rec: StripeIntentRecord, verb: string): StripeWireError {
    return new StripeWireError(
      400,
      'invalid_request_error',
      `This PaymentIntent's ${verb} could not be performed because it has a status of ${rec.status}.`,
      { code: 'payment_intent_unexpected_state', payment_intent: this.intentView(rec) },
    );
  }

  private raise(change: StripeChange): void {
    this.o.onChange?.(change);
  }

  private now(): number {
    return this.o.clock();
  }

  private event(rec: StripeIntentRecord, type: LedgerEvent['type'], detail: { amountMinor?: number; note?: string } = {}): void {
    const e: LedgerEvent = { at: new Date(this.now()).toISOString(), type };
    if (detail.amountMinor !== undefined) e.amountMinor = detail.amountMinor;
    if (detail.note !== undefined) e.note = detail.note;
    rec.events.push(e);
  }
}

function busy(): StripeWireError {
  return new StripeWireError(400, 'invalid_request_error', 'Reader is currently busy processing another request.', { code: 'terminal_reader_busy' });
}
