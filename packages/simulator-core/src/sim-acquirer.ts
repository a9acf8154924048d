import { randomBytes, randomUUID } from 'node:crypto';
import type { CreatePaymentBody } from '@payments/contract/wire';
import type { LedgerStore } from './ledger-store';
import { outcomeOf } from './outcome';
import { SimError } from './sim-error';
import type { LedgerEvent, LedgerPayment } from './state';
import type { Waiters } from './waiters';

/** A card read at a terminal, as the acquirer looks its token up. */
export interface ReadCard {
  reference: string;
  card: { scheme: string; last4: string };
}

export interface SimAcquirerOptions {
  store: LedgerStore;
  waiters: Waiters;
  clock: () => number;
  approveDelayMs: number;
  /** Finds the card behind a token the terminal handed out. */
  lookupCard: (token: string) => ReadCard | undefined;
  log: (line: Record<string, unknown>) => void;
  /**
   * A payment's status changed without its caller asking (the customer answered): the news a
   * waiting payment needs pushed. A change made by a call is in that call's answer instead.
   */
  onChange?: (rec: LedgerPayment) => void;
}

const waitKey = (rec: LedgerPayment) => `payment:${rec.reference}`;

/** The wallet scheme's name as printed on receipts. */
export const WALLET_SCHEME = 'SimPay';

/**
 * The acquirer's book: payments keyed by reference, their state machine and the money moved.
 * Methods change the state synchronously; callers commit the store before they answer.
 */
export class SimAcquirer {
  private readonly byId = new Map<string, LedgerPayment>();
  private readonly timers = new Map<string, NodeJS.Timeout>();

  constructor(private readonly o: SimAcquirerOptions) {
    for (const rec of Object.values(o.store.state.payments)) {
      rec.voidedMinor ??= 0; // ledgers written before two-step money
      this.byId.set(rec.id, rec);
    }
  }

  /** Schedules the simulated customers' answers that were due when the ledger was last written. */
  resume(): void {
    for (const rec of Object.values(this.o.store.state.payments)) this.schedule(rec);
  }

  /** Stops every pending timer (state stays on disk, due times included). */
  close(): void {
    for (const t of this.timers.values()) clearTimeout(t);
    this.timers.clear();
  }

  byReference(reference: string): LedgerPayment | undefined {
    return this.o.store.state.payments[reference];
  }

  /** The payment with this acquirer id, or 404. */
  get(id: string): LedgerPayment {
    const rec = this.byId.get(id);
    if (!rec) throw new SimError(404, 'not-found', `no payment ${id}`);
    return rec;
  }

  /** Creates a payment, or answers the one this key or reference already made: money moves at most once. */
  create(req: CreatePaymentBody, idempotencyKey: string): { record: LedgerPayment; created: boolean } {
    const state = this.o.store.state;
    const keyed = state.createKeys[idempotencyKey];
    if (keyed !== undefined && keyed !== req.reference) {
      throw new SimError(422, 'idempotency-conflict', `Idempotency-Key was used for reference ${keyed}`);
    }
    const existing = state.payments[req.reference];
    if (existing) {
      const same =
        existing.merchant === req.merchant &&
        existing.kind === req.kind &&
        existing.method === req.method &&
        existing.amountMinor === req.amountMinor &&
        existing.currencycode === req.currencycode &&
        existing.originalReference === req.originalReference;
      if (!same) throw new SimError(422, 'reference-conflict', `reference ${req.reference} exists with other details`);
      state.createKeys[idempotencyKey] = req.reference;
      return { record: existing, created: false };
    }

    let card: ReadCard['card'] | null = null;
    if (req.method === 'card') {
      if (!req.cardToken) throw new SimError(400, 'bad-request', 'a card payment needs the cardToken from the terminal');
      const read = this.o.lookupCard(req.cardToken);
      if (!read) throw new SimError(422, 'invalid-card-token', 'unknown cardToken');
      if (read.reference !== req.reference) throw new SimError(422, 'card-token-mismatch', 'the card was read for another reference');
      card = read.card;
    }

    const now = this.o.clock();
    const outcome = outcomeOf(req.amountMinor);
    const customerStep = req.method === 'wallet' && req.originalReference === null;
    // Named one by one: a body may carry more than the schema names, and a card token is not kept in the ledger.
    const { reference, merchant, kind, method, amountMinor, currencycode, posid, originalReference } = req;
    const rec: LedgerPayment = {
      id: `pay_${randomUUID().replace(/-/g, '')}`,
      reference,
      merchant,
      kind,
      method,
      amountMinor,
      currencycode,
      posid,
      originalReference,
      status: 'pending',
      createdAt: new Date(now).toISOString(),
      approvedAt: null,
      dueAt: null,
      planned: null,
      reversal: 'none',
      confirmed: false,
      lateReversalAllowed: outcome !== 'no-late-reversal',
      customerStep,
      declineReason: null,
      receipt: {
        scheme: card ? card.scheme : WALLET_SCHEME,
        reference: randomBytes(3).toString('hex').toUpperCase(),
        last4: card ? card.last4 : null,
      },
      authorizedMinor: 0,
      capturedMinor: 0,
      voidedMinor: 0,
      reversedMinor: 0,
      refundedMinor: 0,
      events: [],
    };
    state.payments[rec.reference] = rec;
    state.createKeys[idempotencyKey] = rec.reference;
    this.byId.set(rec.id, rec);
    this.event(rec, 'created', { amountMinor: rec.amountMinor });

    if (state.cancelledReferences.includes(rec.reference)) {
      // The caller cancelled this reference before its create arrived: it never becomes payable.
      this.finish(rec, 'cancelled', 'cancelled before the request arrived');
      return { record: rec, created: true };
    }
    if (customerStep) {
      if (outcome !== 'silent') {
        rec.dueAt = now + this.o.approveDelayMs;
        rec.planned = outcome === 'decline' ? 'decline' : 'approve';
        this.schedule(rec);
      }
      return { record: rec, created: true };
    }
    // Card authorisations, and refunds paid straight back to the original payer, answer at once.
    const problem = req.originalReference !== null ? this.refundProblem(req) : null;
    if (problem) this.decline(rec, problem);
    else if (outcome === 'decline') this.decline(rec, req.method === 'card' ? 'Card declined' : 'Declined by the issuer');
    else if (outcome !== 'silent') this.approve(rec);
    return { record: rec, created: true };
  }

  /** The customer (simulated, or a person on the wallet page) answers a pending request. */
  answer(rec: LedgerPayment, answer: 'approve' | 'decline'): boolean {
    if (rec.status !== 'pending' || !rec.customerStep) return false;
    if (answer === 'approve') this.approve(rec);
    else this.decline(rec, 'Declined by the customer');
    this.o.onChange?.(rec);
    return true;
  }

  /** Long-poll: resolves once the payment is no longer pending, or after waitMs. */
  async waitWhilePending(rec: LedgerPayment, waitMs: number): Promise<void> {
    const deadline = Date.now() + waitMs;
    while (rec.status === 'pending' && Date.now() < deadline && !this.o.waiters.closed) await this.o.waiters.wait(waitKey(rec), deadline - Date.now());
  }

  /** Stops a pending request; the caller checks first that no money moved. */
  cancel(rec: LedgerPayment): void {
    if (rec.status === 'pending') this.finish(rec, 'cancelled');
  }

  /** Cancels by reference; one the acquirer has not seen yet is refused when it arrives. */
  cancelReference(reference: string): LedgerPayment | undefined {
    const rec = this.byReference(reference);
    if (rec) {
      this.cancel(rec);
      return rec;
    }
    const refs = this.o.store.state.cancelledReferences;
    if (!refs.includes(reference)) refs.push(reference);
    return undefined;
  }

  /**
   * Gives approved money back once: before the register completed, the authorization is
   * voided (nothing had moved); after, the captured or refunded money is reversed. Refused
   * (422) for a confirmed payment whose scheme forbids it.
   */
  reverse(rec: LedgerPayment): void {
    if (rec.status === 'pending') throw new SimError(409, 'not-approved', 'the payment is pending: cancel it instead');
    if (rec.status !== 'approved' || rec.reversal === 'done') return;
    if (rec.reversal === 'refused' || (rec.confirmed && !rec.lateReversalAllowed)) {
      if (rec.reversal !== 'refused') {
        rec.reversal = 'refused';
        this.event(rec, 'reversal-refused');
      }
      throw new SimError(422, 'reversal-refused', 'the scheme does not reverse a confirmed payment');
    }
    rec.reversal = 'done';
    if (rec.confirmed) {
      const amount = rec.kind === 'sale' ? rec.capturedMinor : rec.refundedMinor;
      rec.reversedMinor += amount;
      this.event(rec, 'reversed', { amountMinor: amount });
    } else {
      rec.voidedMinor += rec.authorizedMinor;
      this.event(rec, 'voided', { amountMinor: rec.authorizedMinor, note: 'released before the register completed' });
    }
    this.o.waiters.notify(waitKey(rec));
  }

  /** The register accepted the payment: the authorization is captured (a refund paid out), once. */
  confirm(rec: LedgerPayment): void {
    if (rec.status !== 'approved') throw new SimError(409, 'not-approved', `the payment is ${rec.status}`);
    if (rec.confirmed) return;
    if (rec.reversal === 'done') throw new SimError(409, 'not-approved', 'the authorization was voided');
    rec.confirmed = true;
    this.event(rec, 'confirmed');
    if (rec.kind === 'sale') {
      rec.capturedMinor += rec.amountMinor;
      this.event(rec, 'captured', { amountMinor: rec.amountMinor });
    } else {
      rec.refundedMinor += rec.amountMinor;
      this.event(rec, 'refunded', { amountMinor: rec.amountMinor });
    }
  }

  /** Two-step money: approval only holds the amount; confirm (PUT completed) moves it. */
  private approve(rec: LedgerPayment): void {
    rec.status = 'approved';
    rec.approvedAt = new Date(this.o.clock()).toISOString();
    rec.authorizedMinor += rec.amountMinor;
    this.event(rec, 'authorized', { amountMinor: rec.amountMinor, note: rec.kind === 'refund' ? 'refund approved, paid at confirm' : undefined });
    this.settle(rec);
  }

  private decline(rec: LedgerPayment, reason: string): void {
    rec.declineReason = reason;
    this.finish(rec, 'declined', reason);
  }

  private finish(rec: LedgerPayment, status: 'declined' | 'cancelled' | 'expired', note?: string): void {
    rec.status = status;
    this.event(rec, status, { note });
    this.settle(rec);
  }

  /** The request is final: no customer answer is due any more, and long-polls answer. */
  private settle(rec: LedgerPayment): void {
    rec.dueAt = null;
    rec.planned = null;
    const t = this.timers.get(rec.id);
    if (t) clearTimeout(t);
    this.timers.delete(rec.id);
    this.o.waiters.notify(waitKey(rec));
    this.o.log({ msg: 'payment', reference: rec.reference, status: rec.status });
  }

  private schedule(rec: LedgerPayment): void {
    if (rec.status !== 'pending' || rec.dueAt === null || rec.planned === null || this.timers.has(rec.id)) return;
    const planned = rec.planned;
    const timer = setTimeout(
      () => {
        this.timers.delete(rec.id);
        if (!this.answer(rec, planned)) return;
        this.o.store.commit().catch((err: unknown) => this.o.log({ level: 'error', msg: 'ledger write failed', err: String(err) }));
      },
      Math.max(0, rec.dueAt - this.o.clock()),
    );
    this.timers.set(rec.id, timer);
  }

  /** Why a refund linked to a sale cannot be paid back, or null when it can. */
  private refundProblem(req: CreatePaymentBody): string | null {
    const sale = req.originalReference === null ? undefined : this.byReference(req.originalReference);
    if (!sale || sale.kind !== 'sale') return 'The original sale is unknown to the acquirer';
    if (sale.merchant !== req.merchant || sale.currencycode !== req.currencycode) return 'The original sale does not match';
    if (sale.status !== 'approved' || sale.reversal === 'done') return 'The original sale was not paid';
    const refunded = Object.values(this.o.store.state.payments)
      .filter((p) => p.originalReference === sale.reference && p.status === 'approved' && p.reversal !== 'done')
      .reduce((sum, p) => sum + p.amountMinor, 0);
    if (refunded + req.amountMinor > sale.authorizedMinor) return 'Refunds would exceed the original sale';
    return null;
  }

  private event(rec: LedgerPayment, type: LedgerEvent['type'], detail: { amountMinor?: number; note?: string } = {}): void {
    const e: LedgerEvent = { at: new Date(this.o.clock()).toISOString(), type };
    if (detail.amountMinor !== undefined) e.amountMinor = detail.amountMinor;
    if (detail.note !== undefined) e.note = detail.note;
    rec.events.push(e);
  }
}
