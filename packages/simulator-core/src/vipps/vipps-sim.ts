import { randomBytes, randomUUID } from 'node:crypto';
import type { VippsCreatePaymentRequest } from '@payments/contract/wire';
import type { LedgerStore } from '../ledger-store';
import { VippsFaults } from './vipps-faults';
import { VippsProblemError } from './vipps-problem';
import { emptyVippsState, paymentKey, type VippsEventName, type VippsEventRecord, type VippsPaymentRecord, type VippsState } from './vipps-state';
import { vippsCustomerFor } from './vipps-test-amounts';

export interface VippsSimOptions {
  store: LedgerStore;
  clock: () => number;
  /** How long the simulated customer takes to answer in "the app". */
  approveDelayMs: number;
  log: (line: Record<string, unknown>) => void;
  /** Told of each event a payment logs (vipps-webhooks.ts sends them). */
  onEvent?: (rec: VippsPaymentRecord, event: VippsEventRecord) => void;
}

/** Who moved a payment out of CREATED. */
export type VippsAnswerSource = 'customer' | 'page' | 'test-approve' | 'sim-control';

const base64url = (value: unknown) => Buffer.from(JSON.stringify(value)).toString('base64url');

/**
 * The ePayment API's payments of every sales unit: created, answered in "the app" (by the
 * simulated customer, a person on the page behind the QR, or the test-only approve), expired,
 * cancelled, captured and refunded, with the aggregate kept in minor units. Methods change the
 * state synchronously; callers commit the store before they answer.
 */
export class VippsSim {
  readonly state: VippsState;
  readonly faults: VippsFaults;
  /** Idempotency slots whose first request is still executing: a replay meanwhile gets 409. */
  readonly inFlight = new Set<string>();
  private readonly timers = new Map<string, NodeJS.Timeout>();

  constructor(private readonly o: VippsSimOptions) {
    o.store.state.vipps ??= emptyVippsState();
    this.state = o.store.state.vipps;
    this.faults = new VippsFaults(o.clock);
  }

  /** Schedules the simulated customers and expiries that were due when the ledger was last written. */
  resume(): void {
    for (const rec of Object.values(this.state.payments)) this.schedule(rec);
  }

  close(): void {
    this.faults.close();
    for (const t of this.timers.values()) clearTimeout(t);
    this.timers.clear();
  }

  // --- access tokens ------------------------------------------------------------------------

  /** A bearer token for these credentials, valid for the token lifetime (an hour, as in the test environment). */
  issueToken(clientId: string, clientSecret: string, subscriptionKey: string): { token: string; issuedAt: number; expiresAt: number } {
    if (clientId === '' || clientSecret === '' || subscriptionKey === '' || this.faults.rejectCredentials) {
      throw new VippsProblemError(401, 'unauthorized', 'The client_id, client_secret and Ocp-Apim-Subscription-Key headers do not name valid credentials.');
    }
    const now = this.o.clock();
    for (const [token, rec] of Object.entries(this.state.tokens)) if (rec.expiresAt <= now) delete this.state.tokens[token];
    const expiresAt = now + this.faults.tokenTtlMs;
    const token = [
      base64url({ typ: 'JWT', alg: 'none' }),
      base64url({ sub: clientId, iat: Math.floor(now / 1000), exp: Math.floor(expiresAt / 1000), iss: 'vipps-simulator' }),
      randomBytes(24).toString('base64url'),
    ].join('.');
    this.state.tokens[token] = { clientId, subscriptionKey, expiresAt };
    this.faults.tokensIssued += 1;
    return { token, issuedAt: now, expiresAt };
  }

  /** Throws 401 unless the token was issued, has not expired and goes with this subscription key. */
  checkToken(token: string, subscriptionKey: string): void {
    const rec = this.state.tokens[token];
    if (!rec) throw new VippsProblemError(401, 'unauthorized', 'The access token is missing or not valid.');
    if (rec.expiresAt <= this.o.clock()) throw new VippsProblemError(401, 'unauthorized', 'The access token has expired.');
    if (rec.subscriptionKey !== subscriptionKey) throw new VippsProblemError(401, 'unauthorized', 'The access token was not issued for this Ocp-Apim-Subscription-Key.');
  }

  /** Makes every token handed out so far invalid: the next call with one gets 401. */
  revokeTokens(): void {
    this.state.tokens = {};
  }

  // --- payments -----------------------------------------------------------------------------

  create(msn: string, body: VippsCreatePaymentRequest, idempotencyKey: string): VippsPaymentRecord {
    if (body.paymentMethod.type === 'CARD' && body.userFlow !== 'WEB_REDIRECT') {
      throw new VippsProblemError(400, 'validation', 'paymentMethod CARD requires userFlow WEB_REDIRECT.');
    }
    if (body.userFlow === 'WEB_REDIRECT' && body.returnUrl === undefined) {
      throw new VippsProblemError(400, 'validation', 'userFlow WEB_REDIRECT requires a returnUrl.');
    }
    if (body.qrFormat !== undefined && body.userFlow !== 'QR') throw new VippsProblemError(400, 'validation', 'qrFormat applies only to userFlow QR.');
    const now = this.o.clock();
    let expiresAt = now + this.faults.expireAfterMs;
    if (body.expiresAt !== undefined) {
      const at = Date.parse(body.expiresAt);
      if (Number.isNaN(at)) throw new VippsProblemError(400, 'validation', 'expiresAt must be an RFC 3339 date and time.');
      if (body.userFlow !== 'QR' && body.userFlow !== 'PUSH_MESSAGE') throw new VippsProblemError(400, 'validation', 'expiresAt can only be combined with userFlow QR or PUSH_MESSAGE.');
      expiresAt = at;
    }
    const key = paymentKey(msn, body.reference);
    if (this.state.payments[key]) {
      throw new VippsProblemError(409, 'reference-conflict', `A payment with reference ${body.reference} already exists for this sales unit.`);
    }
    const customer = vippsCustomerFor(body.amount.value);
    const auto = this.faults.customer === 'auto';
    const rec: VippsPaymentRecord = {
      msn,
      reference: body.reference,
      pspReference: randomUUID(),
      state: 'CREATED',
      currency: body.amount.currency,
      value: body.amount.value,
      userFlow: body.userFlow,
      paymentDescription: body.paymentDescription ?? null,
      metadata: body.metadata ?? null,
      token: randomBytes(18).toString('base64url'),
      qrFormat: body.userFlow === 'QR' ? (body.qrFormat?.format ?? 'IMAGE/SVG+XML') : null,
      createdAt: now,
      expiresAt: auto && customer === 'expire' ? now + this.o.approveDelayMs : expiresAt,
      customerAt: auto && (customer === 'approve' || customer === 'decline') ? now + this.o.approveDelayMs : null,
      customerAnswer: auto && customer === 'approve' ? 'approve' : auto && customer === 'decline' ? 'decline' : null,
      authorized: 0,
      cancelled: 0,
      captured: 0,
      refunded: 0,
      events: [],
    };
    this.state.payments[key] = rec;
    this.event(rec, 'CREATED', rec.value, idempotencyKey);
    this.schedule(rec);
    this.o.log({ msg: 'vipps payment', reference: rec.reference, state: rec.state, value: rec.value });
    return rec;
  }

  payment(msn: string, reference: string): VippsPaymentRecord {
    const rec = this.state.payments[paymentKey(msn, reference)];
    if (!rec) throw new VippsProblemError(404, 'not-found', `No payment with reference ${reference} for this sales unit.`);
    return rec;
  }

  /** The payment behind a QR token, if any. */
  byToken(token: string): VippsPaymentRecord | undefined {
    return Object.values(this.state.payments).find((rec) => rec.token === token);
  }

  /** Cancel: before authorization the payment is TERMINATED; after, what is neither captured nor cancelled is released. */
  cancel(rec: VippsPaymentRecord, idempotencyKey: string | null): VippsPaymentRecord {
    if (rec.state === 'CREATED') {
      rec.state = 'TERMINATED';
      rec.cancelled = rec.value;
      this.clearTimer(rec);
      this.event(rec, 'TERMINATED', rec.value, idempotencyKey);
      return rec;
    }
    const remaining = rec.authorized - rec.captured - rec.cancelled;
    if (rec.state !== 'AUTHORIZED' || remaining <= 0) {
      throw new VippsProblemError(400, 'invalid-state', `The payment cannot be cancelled: its state is ${rec.state} and ${remaining > 0 ? remaining : 0} is left to cancel.`);
    }
    rec.cancelled += remaining;
    this.event(rec, 'CANCELLED', remaining, idempotencyKey);
    return rec;
  }

  capture(rec: VippsPaymentRecord, amount: { currency: string; value: number }, idempotencyKey: string | null): VippsPaymentRecord {
    if (rec.state !== 'AUTHORIZED') throw new VippsProblemError(400, 'invalid-state', `The payment cannot be captured: its state is ${rec.state}.`);
    this.sameCurrency(rec, amount.currency);
    const capturable = rec.authorized - rec.captured - rec.cancelled;
    if (amount.value <= 0 || amount.value > capturable) {
      throw new VippsProblemError(400, 'amount', `The capture amount must be between 1 and the ${capturable} still capturable.`);
    }
    rec.captured += amount.value;
    this.event(rec, 'CAPTURED', amount.value, idempotencyKey);
    return rec;
  }

  refund(rec: VippsPaymentRecord, amount: { currency: string; value: number }, idempotencyKey: string | null): VippsPaymentRecord {
    if (rec.state !== 'AUTHORIZED') throw new VippsProblemError(400, 'invalid-state', `The payment cannot be refunded: its state is ${rec.state}.`);
    this.sameCurrency(rec, amount.currency);
    const refundable = rec.captured - rec.refunded;
    if (amount.value <= 0 || amount.value > refundable) {
      throw new VippsProblemError(400, 'amount', `The refund amount must be between 1 and the ${refundable} captured and not yet refunded.`);
    }
    rec.refunded += amount.value;
    this.event(rec, 'REFUNDED', amount.value, idempotencyKey);
    return rec;
  }

  /** The customer approves (or declines) in "the app"; false when the payment no longer waits for an answer. */
  answer(rec: VippsPaymentRecord, answer: 'approve' | 'decline', source: VippsAnswerSource): boolean {
    if (rec.state !== 'CREATED' || this.o.clock() >= rec.expiresAt) return false;
    this.clearTimer(rec);
    rec.customerAt = null;
    rec.customerAnswer = null;
    if (answer === 'approve') {
      rec.state = 'AUTHORIZED';
      rec.authorized = rec.value;
      this.event(rec, 'AUTHORIZED', rec.value, null);
    } else {
      rec.state = 'ABORTED';
      this.event(rec, 'ABORTED', rec.value, null);
    }
    this.o.log({ msg: 'vipps payment', reference: rec.reference, state: rec.state, by: source });
    return true;
  }

  /** The payment's time runs out while it waits for the customer. */
  expire(rec: VippsPaymentRecord): boolean {
    if (rec.state !== 'CREATED') return false;
    this.clearTimer(rec);
    rec.state = 'EXPIRED';
    rec.expiresAt = Math.min(rec.expiresAt, this.o.clock());
    rec.customerAt = null;
    rec.customerAnswer = null;
    this.event(rec, 'EXPIRED', rec.value, null);
    this.o.log({ msg: 'vipps payment', reference: rec.reference, state: rec.state });
    return true;
  }

  // --- the simulated customer and the clock -------------------------------------------------

  private schedule(rec: VippsPaymentRecord): void {
    if (rec.state !== 'CREATED' || this.timers.has(paymentKey(rec.msn, rec.reference))) return;
    const due = rec.customerAt === null ? rec.expiresAt : Math.min(rec.customerAt, rec.expiresAt);
    const key = paymentKey(rec.msn, rec.reference);
    // setTimeout takes at most 2^31-1 ms; a payment that expires later is looked at again then.
    const wait = Math.min(Math.max(0, due - this.o.clock()), 2 ** 31 - 1);
    const timer = setTimeout(() => {
      this.timers.delete(key);
      const now = this.o.clock();
      let changed = false;
      if (rec.customerAt !== null && rec.customerAnswer !== null && rec.customerAt <= now && now < rec.expiresAt) changed = this.answer(rec, rec.customerAnswer, 'customer');
      else if (rec.expiresAt <= now) changed = this.expire(rec);
      else this.schedule(rec);
      if (changed) this.o.store.commit().catch((err: unknown) => this.o.log({ level: 'error', msg: 'ledger write failed', err: String(err) }));
    }, wait);
    this.timers.set(key, timer);
  }

  private clearTimer(rec: VippsPaymentRecord): void {
    const key = paymentKey(rec.msn, rec.reference);
    clearTimeout(this.timers.get(key));
    this.timers.delete(key);
  }

  private sameCurrency(rec: VippsPaymentRecord, currency: string): void {
    if (currency !== rec.currency) throw new VippsProblemError(400, 'amount', `The currency must be the payment's, ${rec.currency}.`);
  }

  private event(rec: VippsPaymentRecord, name: VippsEventName, value: number, idempotencyKey: string | null): void {
    const event: VippsEventRecord = { name, value, timestamp: new Date(this.o.clock()).toISOString(), idempotencyKey, success: true };
    rec.events.push(event);
    this.o.onEvent?.(rec, event);
  }
}
