import type { PaymentsClient } from './temporal-client';
import { TemporalDeadlineError } from './temporal-errors';

/**
 * Time kept back for a fallback call: a share of what is left, at most FALLBACK_MAX_MS. The
 * fallback (a describe for the memo of a closed workflow) is a read the server answers from its
 * own state, with no worker, so it needs little; the call before it (a GET's query) waits for a
 * worker and is the one a busy system slows, so it gets the rest. A PUT's update keeps nothing
 * back at all (set-payment-state.ts): under overload, an update cut early to make room for a
 * fallback fails a PUT the worker would still have answered within the register's second.
 */
const FALLBACK_SHARE = 0.4;
const FALLBACK_MAX_MS = 150;

/**
 * The time one HTTP request may spend on Temporal. Every call runs inside `client.withDeadline`
 * (so gRPC and the server give up at that instant, which also ends the client's endless retry of
 * an update no worker picks up) and is raced against a local timer, so the register gets its
 * answer in time even if the client never settles.
 */
export class Deadline {
  private readonly at: number;

  constructor(
    private readonly client: Pick<PaymentsClient, 'withDeadline'>,
    budgetMs: number,
  ) {
    this.at = Date.now() + budgetMs;
  }

  /** Milliseconds left. */
  remaining(): number {
    return Math.max(0, this.at - Date.now());
  }

  /** Time to keep back from a call when a fallback call (a describe after a query or update) may follow it. */
  fallbackReserve(): number {
    return Math.floor(Math.min(this.remaining() * FALLBACK_SHARE, FALLBACK_MAX_MS));
  }

  /** Runs one Temporal call, cut at the deadline, or `reserveMs` before it to leave time for a fallback call. */
  async run<T>(call: () => Promise<T>, { reserveMs = 0 }: { reserveMs?: number } = {}): Promise<T> {
    const until = this.at - reserveMs;
    const ms = until - Date.now();
    if (ms <= 0) throw new TemporalDeadlineError('no time left for a Temporal call');
    let timer: NodeJS.Timeout | undefined;
    const expired = new Promise<never>((_, reject) => {
      timer = setTimeout(() => reject(new TemporalDeadlineError(`Temporal did not answer within ${ms} ms`)), ms);
    });
    const pending = this.client.withDeadline(until, call);
    // Once the timer wins, the call's own (later) failure has no one left to hear it.
    pending.catch(() => undefined);
    try {
      return await Promise.race([pending, expired]);
    } finally {
      clearTimeout(timer);
    }
  }
}
