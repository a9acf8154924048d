// Simulated Sitoo registers for the chaos run: each runs payments one after another, in mixed
// flows, retrying through refused connections and 503s as the POS does, and writes down what it
// was told. That record is what the reconciliation holds the ledger and the workflows to.
import type { Payment, PaymentKind, PaymentMethod } from '@payments/contract';
import { Register, paymentRequest, type Reply } from '../support/register';
import { sleep } from '../support/system';
import type { Random } from './random';

/** Everything one payment's register saw. */
export interface RegisterRecord {
  register: string;
  receiptid: string;
  flow: string;
  kind: PaymentKind;
  /** Positive minor units. */
  amountMinor: number;
  /** Null when POST never answered with an id (the payment, if any, is then an orphan). */
  paymentid: string | null;
  /**
   * What the register was last told about the money: `completed` means it believes the
   * customer paid (or, for a refund, was paid); anything else means no money should stay moved.
   */
  outcome: 'completed' | 'cancelled' | 'refused' | 'silent' | 'no-answer';
  /** A call the register retried until it gave up: the service failed to answer it. */
  unanswered: string | null;
}

/** Counters across all registers, for the progress lines. */
export interface RegisterStats {
  calls: number;
  retried: number;
  /** Answers that took 1 s or more (the contract's bound), excluding refused connections. */
  over1s: number;
  slowestMs: number;
  http500: number;
  /** Every PUT: when the register first sent it and when it got its definitive answer (epoch ms; null: gave up). */
  puts: PutRecord[];
}

/** One PUT as the register lived it. */
export interface PutRecord {
  paymentid: string;
  firstAt: number;
  answeredAt: number | null;
  /** How often it was sent, and what the last failed attempt got. */
  attempts: number;
  lastFailure: string;
}

/** A credential of this service and how its merchant pays. */
export interface Till {
  username: string;
  password: string;
  method: PaymentMethod;
}

const ANSWER_DEADLINE_MS = 120_000;
/** How often a register sends a PUT again after a failure: a cashier at the till, as in the failover target. */
const PUT_RETRY_MS = 500;
const READY_DEADLINE_MS = 150_000;
const POLL_MS: readonly [number, number] = [300, 700];

type Flow = 'complete' | 'cancel-inprogress' | 'cancel-ready' | 'cancel-late' | 'silent-ready' | 'silent-at-once' | 'decline' | 'expire';

const SALE_FLOWS: readonly (readonly [Flow, number])[] = [
  ['complete', 34],
  ['cancel-inprogress', 9],
  ['cancel-ready', 12],
  ['cancel-late', 10],
  ['silent-ready', 10],
  ['silent-at-once', 4],
  ['decline', 4],
  ['expire', 2],
];

/** One simulated register running payments until `until`. */
export class ChaosRegister {
  private readonly http: Register;
  private seq = 0;
  /** Why the last call that gave up failed, for the record. */
  private lastFailure = '';

  constructor(
    readonly posid: string,
    private readonly till: Till,
    apiUrl: string,
    private readonly rng: Random,
    private readonly stats: RegisterStats,
    private readonly records: RegisterRecord[],
  ) {
    this.http = new Register(apiUrl, { username: till.username, password: till.password });
  }

  /** Runs payments one after another until `until` (a payment under way is finished). */
  async run(until: number): Promise<void> {
    while (Date.now() < until) {
      const pick = this.rng.weighted<'sale' | 'refund-linked' | 'refund-unlinked'>([
        ['sale', 80],
        ['refund-linked', 14],
        ['refund-unlinked', 6],
      ]);
      if (pick === 'sale') await this.sale(this.rng.weighted(SALE_FLOWS));
      else if (pick === 'refund-linked') await this.linkedRefund();
      else await this.refund(null, this.amountMinor(), this.refundFlow());
      await sleep(this.rng.int(0, 800));
    }
  }

  private refundFlow(): Flow {
    return this.rng.weighted<Flow>([
      ['complete', 60],
      ['cancel-ready', 20],
      ['silent-ready', 20],
    ]);
  }

  /** A sale that the customer approves, then a refund crediting part or all of it. */
  private async linkedRefund(): Promise<void> {
    const sale = await this.sale('complete');
    if (sale.outcome !== 'completed' || sale.paymentid === null) return;
    const amount = this.rng.chance(0.4) ? sale.amountMinor : this.plainAmount(1, Math.max(1, Math.floor(sale.amountMinor / 100) - 1));
    await this.refund(sale.paymentid, Math.min(amount, sale.amountMinor), this.refundFlow());
  }

  /** Whole SEK with cents that the simulator does not script (.51–.55 mean something). */
  private plainAmount(minSek: number, maxSek: number): number {
    const cents = [0, 0, 10, 25, 50, 75, 90, 99][this.rng.int(0, 7)]!;
    return this.rng.int(minSek, maxSek) * 100 + cents;
  }

  /** Mostly plain, sometimes a flaky (.53) or slow (.55) acquirer. */
  private amountMinor(): number {
    const base = this.plainAmount(1, 900);
    const special = this.rng.weighted<number | null>([
      [null, 92],
      [53, 5],
      [55, 3],
    ]);
    return special === null ? base : Math.floor(base / 100) * 100 + special;
  }

  private newRecord(kind: PaymentKind, flow: string, amountMinor: number): RegisterRecord {
    this.seq += 1;
    const record: RegisterRecord = {
      register: this.posid,
      receiptid: `${this.posid}-${this.seq}`,
      flow,
      kind,
      amountMinor,
      paymentid: null,
      outcome: 'silent',
      unanswered: null,
    };
    this.records.push(record);
    return record;
  }

  private async sale(flow: Flow): Promise<RegisterRecord> {
    let amount = this.amountMinor();
    if (flow === 'decline') amount = Math.floor(amount / 100) * 100 + 51;
    if (flow === 'expire') amount = Math.floor(amount / 100) * 100 + 52;
    // .54: the acquirer refuses a late reversal, so the late cancel must be refused too.
    if (flow === 'cancel-late' && this.rng.chance(0.25)) amount = Math.floor(amount / 100) * 100 + 54;
    const record = this.newRecord('sale', `sale/${flow}`, amount);
    await this.drive(record, flow, null);
    return record;
  }

  private async refund(creditpaymentid: string | null, amountMinor: number, flow: Flow): Promise<RegisterRecord> {
    const record = this.newRecord('refund', `refund-${creditpaymentid ? 'linked' : 'unlinked'}/${flow}`, amountMinor);
    await this.drive(record, flow, creditpaymentid);
    return record;
  }

  /** POST, then the flow's steps; fills in what the register was told. */
  private async drive(record: RegisterRecord, flow: Flow, creditpaymentid: string | null): Promise<void> {
    const amount = `${record.kind === 'refund' ? '-' : ''}${(record.amountMinor / 100).toFixed(2)}`;
    const body = paymentRequest(amount, {
      creditpaymentid,
      posid: this.posid,
      receiptid: record.receiptid,
      storeid: 'chaos',
    });
    // Most registers send an Idempotency-Key; without one, a retried POST is a new payment.
    const headers: Record<string, string> = this.rng.chance(0.7) ? { 'idempotency-key': `chaos-${record.receiptid}` } : {};
    const posted = await this.answered(() => this.http.call<string>('POST', '/payments', body, headers));
    if (posted === null) {
      // Whatever the service did with it is checked as a payment no register learnt of.
      record.outcome = 'no-answer';
      record.unanswered = `POST (last: ${this.lastFailure})`;
      return;
    }
    if (posted.status !== 200) {
      record.outcome = 'refused';
      return;
    }
    const id = posted.body;
    record.paymentid = id;

    if (flow === 'silent-at-once') return;
    if (flow === 'cancel-inprogress') {
      await sleep(this.rng.int(0, 1000));
      await this.put(record, 'cancelled');
      return;
    }
    const state = await this.waitFor(record, ['ready_to_complete', 'cancelled']);
    if (state !== 'ready_to_complete') {
      if (state === 'cancelled') record.outcome = 'cancelled';
      return;
    }
    if (flow === 'silent-ready') {
      record.outcome = 'silent';
    } else if (flow === 'cancel-ready') {
      await this.put(record, 'cancelled');
    } else {
      await this.put(record, 'completed');
      if (flow !== 'cancel-late' || record.outcome !== 'completed') return;
      await sleep(this.rng.int(0, 3000));
      await this.put(record, 'cancelled');
    }
  }

  /** PUT until a definitive answer; the answer is what the register believes. */
  private async put(record: RegisterRecord, state: 'completed' | 'cancelled'): Promise<void> {
    const firstAt = Date.now();
    let attempts = 0;
    this.lastFailure = '';
    // A cashier retries a PUT that failed every half second (the failover target's register), not with the backoff of other calls.
    const reply = await this.answered(() => (attempts++, this.http.put(record.paymentid!, state)), ANSWER_DEADLINE_MS, PUT_RETRY_MS);
    this.stats.puts.push({ paymentid: record.paymentid!, firstAt, answeredAt: reply === null ? null : Date.now(), attempts, lastFailure: this.lastFailure });
    if (reply === null) {
      record.unanswered = `PUT ${state} (last: ${this.lastFailure})`;
      return;
    }
    if (reply.status === 200) {
      record.outcome = (reply.body as Payment).paymentstate.state === 'completed' ? 'completed' : 'cancelled';
      return;
    }
    const code = (reply.body as unknown as { error_code?: string }).error_code;
    // 409 invalid-state on completed: it was cancelled meanwhile (e.g. not acknowledged in time);
    // 409 reversal-not-possible on cancelled: it stays completed.
    if (code === 'invalid-state' && state === 'completed') record.outcome = 'cancelled';
    else if (code === 'reversal-not-possible') record.outcome = 'completed';
    else record.unanswered = `PUT ${state} → ${reply.status} ${code ?? ''}`;
  }

  /** Polls GET until the state is one of `states`; null when the register gave up. */
  private async waitFor(record: RegisterRecord, states: string[]): Promise<string | null> {
    const until = Date.now() + READY_DEADLINE_MS;
    while (Date.now() < until) {
      const reply = await this.answered(() => this.http.get(record.paymentid!), until - Date.now());
      if (reply === null) break;
      if (reply.status !== 200) {
        record.unanswered = `GET → ${reply.status}`;
        return null;
      }
      const state = reply.body.paymentstate.state;
      if (states.includes(state)) return state;
      await sleep(this.rng.int(...POLL_MS));
    }
    record.unanswered = `GET never showed ${states.join(' or ')} (last: ${this.lastFailure || 'no failure'})`;
    return null;
  }

  /** One register call, retried through refused connections and 5xx until a definitive answer; null: gave up. */
  private async answered<T>(call: () => Promise<Reply<T>>, deadlineMs = ANSWER_DEADLINE_MS, fixedPauseMs?: number): Promise<Reply<T> | null> {
    const until = Date.now() + deadlineMs;
    let pause = fixedPauseMs ?? 200;
    for (;;) {
      this.stats.calls += 1;
      const t0 = performance.now();
      try {
        const reply = await call();
        const ms = performance.now() - t0;
        this.stats.slowestMs = Math.max(this.stats.slowestMs, ms);
        if (ms >= 1000) this.stats.over1s += 1;
        if (reply.status === 500) this.stats.http500 += 1;
        // 5xx and 429 (too many requests) are worth another try, as the POS does.
        if (reply.status < 500 && reply.status !== 429) return reply;
        this.lastFailure = `${reply.status} ${(reply.body as { error_code?: string } | undefined)?.error_code ?? ''}`.trim();
      } catch (err) {
        // refused or reset: the API is down or was killed mid-answer
        const cause = err instanceof Error && err.cause instanceof Error ? `: ${err.cause.message}` : '';
        this.lastFailure = `${err instanceof Error ? err.message : String(err)}${cause}`;
      }
      if (Date.now() + pause > until) return null;
      this.stats.retried += 1;
      await sleep(pause);
      if (fixedPauseMs === undefined) pause = Math.min(2000, pause * 2);
    }
  }
}
