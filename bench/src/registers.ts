import { paymentBody, prng, saleAmount } from './payment-body';
import type { Recorder } from './recorder';
import type { RegisterPool } from './register-pool';

/** What one payment of a register does. */
export type PaymentKind = 'sale' | 'cancel-ready' | 'cancel-inprogress' | 'refund' | 'silent';
export type Mix = Record<PaymentKind, number>;

/** Sales completed; a few cancels either side of approval; refunds of the register's last sale; a few registers that go silent. */
export const DEFAULT_MIX: Mix = { sale: 0.8, 'cancel-ready': 0.05, 'cancel-inprogress': 0.05, refund: 0.05, silent: 0.05 };

export interface LoadOptions {
  registers: number;
  /** 'offered': each register starts a payment every intervalMs on a fixed schedule; 'closed': the next as soon as one ends. */
  mode: 'offered' | 'closed';
  intervalMs: number;
  pollMs: number;
  /** How long after its answer to POST a cancel-inprogress register cancels. */
  cancelAfterMs: number;
  durationMs: number;
  mix: Mix;
  seed: number;
}

/** A payment seen ready_to_complete: when (wall clock, ms), for the approval-to-ready figure. */
export interface Seen {
  paymentid: string;
  readyAt: number;
  /** Wall-clock send time of the register's last GET that still read inprogress. */
  lastInprogressSentAt: number | null;
}

const sleep = (ms: number) => new Promise<void>((r) => setTimeout(r, Math.max(0, ms)));
const wall = (perfMs: number) => performance.timeOrigin + perfMs;
const stateOf = (body: string): string | null => /"state":"([a-z_]+)"/.exec(body)?.[1] ?? null;

/** How long a cashier keeps trying to finish a payment whose PUT gets 503, before leaving it to the service's timers. */
const PUT_RETRY_FOR_MS = 10_000;

/**
 * A register's PUT: a 503 (busy or timed out) is sent again after its Retry-After, as the
 * cashier with a customer waiting would, until it is answered or PUT_RETRY_FOR_MS has passed.
 * Every 503 still counts in the figures; the payment is what the retry saves.
 */
async function putUntilAnswered(client: RegisterPool, path: string, regId: string, body: string) {
  const giveUpAt = performance.now() + PUT_RETRY_FOR_MS;
  for (;;) {
    const put = await client.call('PUT', path, regId, body);
    if (put.status !== 503 || performance.now() + (put.retryAfterS ?? 1) * 1000 > giveUpAt) return put;
    await sleep((put.retryAfterS ?? 1) * 1000);
  }
}

function pick(mix: Mix, r: number): PaymentKind {
  let acc = 0;
  for (const [kind, share] of Object.entries(mix) as [PaymentKind, number][]) {
    acc += share;
    if (r < acc) return kind;
  }
  return 'sale';
}

/**
 * Drives `registers` simulated Sitoo registers against one SPI until durationMs has passed:
 * POST, a GET every pollMs while inprogress, then PUT (completed, or cancelled), or nothing for
 * a silent register. Resolves when every register's last payment has ended.
 */
export async function runRegisters(client: RegisterPool, recorder: Recorder, o: LoadOptions): Promise<Seen[]> {
  const seen: Seen[] = [];
  const start = recorder.t0;
  const endAt = start + o.durationMs;

  const onePayment = async (register: number, receipt: number, kind: PaymentKind, lastSale: { id: string; minor: number } | null, random: () => number) => {
    const regId = `bench-${register}`;
    const refundOf = kind === 'refund' ? lastSale : null;
    const minor = refundOf ? -refundOf.minor : saleAmount(random);
    const body = paymentBody({ register, receipt, amountMinor: minor, creditpaymentid: refundOf?.id ?? null });
    const posted = await client.call('POST', '/payments', regId, body);
    // Refused by admission control: wait as told, then a new POST (Sitoo POS sends no key).
    if (posted.shed) await sleep((posted.retryAfterS ?? 1) * 1000);
    if (posted.status !== 200) return null;
    const id = JSON.parse(posted.body) as string;
    const path = `/payments/${id}`;
    if (kind === 'cancel-inprogress') {
      await sleep(posted.at + o.cancelAfterMs - performance.now());
      const put = await putUntilAnswered(client, path, regId, '{"paymentstate":{"state":"cancelled"}}');
      if (put.status === 200 && stateOf(put.body) !== 'cancelled') recorder.error('PUT', put.at, `cancel answered ${stateOf(put.body)}`);
      return null;
    }
    let next = posted.at + o.pollMs;
    let state: string | null = 'inprogress';
    let lastInprogressSentAt: number | null = null;
    const giveUpAt = posted.at + 30_000;
    while (state === 'inprogress') {
      await sleep(next - performance.now());
      const sentAt = performance.now();
      if (sentAt > giveUpAt) {
        recorder.error('GET', sentAt, `payment ${id} still inprogress after 30 s`);
        return null;
      }
      const got = await client.call('GET', path, regId);
      if (got.status !== 200) {
        state = 'inprogress'; // a register keeps polling through an error
      } else {
        state = stateOf(got.body);
        if (state === 'inprogress') lastInprogressSentAt = wall(sentAt);
        else if (state === 'ready_to_complete') seen.push({ paymentid: id, readyAt: wall(got.at), lastInprogressSentAt });
      }
      next = Math.max(next + o.pollMs, performance.now());
    }
    if (state !== 'ready_to_complete') {
      recorder.error('GET', performance.now(), `payment ${id} (${kind}) ended ${state} instead of ready_to_complete`);
      return null;
    }
    if (kind === 'silent') return null;
    const target = kind === 'cancel-ready' ? 'cancelled' : 'completed';
    const put = await putUntilAnswered(client, path, regId, `{"paymentstate":{"state":"${target}"}}`);
    if (put.status !== 200) return null;
    const after = stateOf(put.body);
    if (after !== target) {
      recorder.error('PUT', put.at, `PUT ${target} answered ${after}`);
      return null;
    }
    if (target === 'completed') {
      recorder.completions.push(put.at - start);
      return kind === 'sale' ? { id, minor } : null;
    }
    return null;
  };

  const register = async (n: number) => {
    const random = prng(o.seed * 100_003 + n);
    const offset = (n * o.intervalMs) / o.registers;
    let lastSale: { id: string; minor: number } | null = null;
    for (let k = 0; ; k++) {
      let slot = performance.now();
      if (o.mode === 'closed' && k === 0) await sleep(offset); // staggered, not one burst
      if (o.mode === 'offered') {
        slot = start + offset + k * o.intervalMs;
        if (slot >= endAt) return;
        const wait = slot - performance.now();
        if (wait > 0) await sleep(wait);
        recorder.lateness.push(performance.now() - slot);
      } else if ((slot = performance.now()) >= endAt) {
        return;
      }
      let kind = pick(o.mix, random());
      if (kind === 'refund' && lastSale === null) kind = 'sale';
      const completedSale = await onePayment(n, k, kind, kind === 'refund' ? lastSale : null, random);
      if (kind === 'refund') lastSale = null;
      if (completedSale) lastSale = completedSale;
    }
  };

  await Promise.all(Array.from({ length: o.registers }, (_, n) => register(n)));
  return seen;
}
