/** A Stripe request as the counters see it: a read (GET) or a write (anything else). */
export type StripeCallKind = 'read' | 'write';

/**
 * A request as the budget orders it: a step of the payment (every write, and the reads of a
 * start, a capture, a cancel, an authorization: what a register or a payment waits for), or a
 * poll (the reads repeated while a payment waits for the customer), which may come later.
 */
export type StripePriority = 'step' | 'poll';

/** Stripe's documented global limits, in requests a second per account: live 100, sandbox (test mode) 25. */
export const STRIPE_LIMITS = { live: 100, sandbox: 25 } as const;

/**
 * Stripe's per-endpoint limits (requests a second, live and sandbox alike): 25 by default for
 * every named operation, whatever the object's id; 20 for the Search API.
 */
export const STRIPE_ENDPOINT_LIMITS = { default: 25, search: 20 } as const;

/** A request's endpoint as Stripe counts its limits: the method and the path, object ids as `:id`. */
export function endpointOf(method: string, path: string): string {
  const bare = path.split('?')[0] ?? '';
  return `${method.toUpperCase()} ${bare.replace(/\/(pi|tmr|re|ch|pm|tml|cus|seti|evt)_[A-Za-z0-9_]+/g, '/:id')}`;
}

/** Whether a key is a live-mode key (sk_live_…, rk_live_…); every other key is a sandbox's. */
export function modeOf(secretKey: string): 'live' | 'sandbox' {
  return /^(sk|rk)_live_/.test(secretKey) ? 'live' : 'sandbox';
}

/**
 * The share of Stripe's limit one worker's budget spends: Stripe counts per account, and the
 * other workers, a retried activity and the Dashboard spend the same limit.
 */
const HEADROOM = 0.8;
/** How long a 429 holds every request of the account back, at most: Stripe's limits are per second. */
const MAX_HOLD_MS = 1_000;

export interface StripeBudgetOptions {
  /** Requests a second this budget lets through (tokens added a second). */
  perSecond: number;
  /** Tokens it may hold: the burst that goes out at once after a quiet spell. */
  burst?: number;
  /** Epoch ms; tests pass their own. */
  clock?: () => number;
}

interface Waiter {
  resolve: () => void;
  reject: (err: unknown) => void;
  signal: AbortSignal | undefined;
  onAbort: (() => void) | undefined;
}

/**
 * One account's request budget in this process: a token bucket that every Stripe request takes a
 * token from before it goes out, so a burst of payments queues here instead of being refused by
 * Stripe. A waiting step is always served before a waiting poll: steps are what a register or a
 * payment waits for (make the intent, hand it to the reader, authorize, capture, cancel, and the
 * reads each of them needs), a handful per payment, while polls are the reads repeated in between,
 * which lose nothing by coming a moment later. Polls cannot starve steps, and steps cannot starve
 * polls for long, since each payment's steps are few. A 429 from Stripe (another process spent
 * the account's limit) holds every request back.
 */
export class StripeBudget {
  readonly perSecond: number;
  readonly burst: number;
  private tokens: number;
  private refilledAt: number;
  private heldUntil = 0;
  private readonly queues: Record<StripePriority, Waiter[]> = { step: [], poll: [] };
  private timer: NodeJS.Timeout | undefined;
  private readonly clock: () => number;

  constructor(options: StripeBudgetOptions) {
    if (!(options.perSecond > 0)) throw new RangeError('a Stripe budget needs a positive rate');
    this.clock = options.clock ?? Date.now;
    this.perSecond = options.perSecond;
    this.burst = Math.max(1, options.burst ?? Math.ceil(options.perSecond / 4));
    this.tokens = this.burst;
    this.refilledAt = this.clock();
  }

  /** The budget for an account of this mode: Stripe's limit less the headroom, or `perSecond` when given. */
  static forKey(secretKey: string, perSecond?: number): StripeBudget {
    return new StripeBudget({ perSecond: perSecond ?? STRIPE_LIMITS[modeOf(secretKey)] * HEADROOM });
  }

  /** Requests waiting for a token, by priority. */
  get waiting(): Record<StripePriority, number> {
    return { step: this.queues.step.length, poll: this.queues.poll.length };
  }

  /** Resolves when a request of this priority may go out; an abort leaves the queue with the signal's reason. */
  take(priority: StripePriority, signal?: AbortSignal): Promise<void> {
    if (signal?.aborted) return Promise.reject(signal.reason);
    if (this.queues.step.length === 0 && (priority === 'step' || this.queues.poll.length === 0) && this.tryTake()) return Promise.resolve();
    return new Promise<void>((resolve, reject) => {
      const waiter: Waiter = { resolve, reject, signal, onAbort: undefined };
      if (signal) {
        waiter.onAbort = () => {
          const queue = this.queues[priority];
          const at = queue.indexOf(waiter);
          if (at >= 0) queue.splice(at, 1);
          reject(signal.reason);
        };
        signal.addEventListener('abort', waiter.onAbort, { once: true });
      }
      this.queues[priority].push(waiter);
      this.schedule();
    });
  }

  /** Stripe answered 429: nothing of this account goes out for `ms` (bounded), and the tokens in hand are dropped. */
  holdFor(ms: number): void {
    this.heldUntil = Math.max(this.heldUntil, this.clock() + Math.min(Math.max(0, ms), MAX_HOLD_MS));
    this.tokens = 0;
    this.schedule();
  }

  private refill(): void {
    const now = this.clock();
    if (now < this.heldUntil) {
      this.refilledAt = now;
      return;
    }
    const from = Math.max(this.refilledAt, this.heldUntil);
    this.tokens = Math.min(this.burst, this.tokens + ((now - from) * this.perSecond) / 1000);
    this.refilledAt = now;
  }

  private tryTake(): boolean {
    this.refill();
    if (this.tokens < 1) return false;
    this.tokens -= 1;
    return true;
  }

  /** Serves the queues (steps first) while tokens last, then sleeps until the next token. */
  private drain(): void {
    this.timer = undefined;
    for (;;) {
      const queue = this.queues.step.length > 0 ? this.queues.step : this.queues.poll;
      const next = queue[0];
      if (!next) return;
      if (!this.tryTake()) break;
      queue.shift();
      if (next.onAbort) next.signal?.removeEventListener('abort', next.onAbort);
      next.resolve();
    }
    this.schedule();
  }

  private schedule(): void {
    if (this.timer || (this.queues.step.length === 0 && this.queues.poll.length === 0)) return;
    this.refill();
    const now = this.clock();
    const untilToken = this.tokens >= 1 ? 0 : Math.ceil(((1 - this.tokens) * 1000) / this.perSecond);
    const wait = Math.max(untilToken, this.heldUntil - now, 0);
    this.timer = setTimeout(() => this.drain(), wait);
    // A queue of requests must not keep a process alive that has nothing else to do.
    this.timer.unref();
  }
}

const budgets = new Map<string, StripeBudget>();
const endpointBudgets = new Map<string, StripeBudget>();

/**
 * The budget of one endpoint of an account in this process (80% of Stripe's per-endpoint limit):
 * a request takes a token here and then from the account's budget, so the polls of many payments
 * (all `GET /v1/terminal/readers/:id`) stay under the endpoint's limit in live mode too, where
 * the account's limit is four times higher.
 */
export function endpointBudgetFor(secretKey: string, endpoint: string): StripeBudget {
  const slot = `${secretKey}\u0000${endpoint}`;
  let budget = endpointBudgets.get(slot);
  if (!budget) {
    const limit = endpoint.endsWith('/search') ? STRIPE_ENDPOINT_LIMITS.search : STRIPE_ENDPOINT_LIMITS.default;
    budget = new StripeBudget({ perSecond: limit * HEADROOM });
    endpointBudgets.set(slot, budget);
  }
  return budget;
}

/**
 * The one budget of an account in this process, shared by every merchant and client that uses
 * its key (a budget per client would multiply the account's rate by the number of clients).
 */
export function budgetFor(secretKey: string, perSecond?: number): StripeBudget {
  const slot = `${secretKey}\u0000${perSecond ?? 'default'}`;
  let budget = budgets.get(slot);
  if (!budget) {
    budget = StripeBudget.forKey(secretKey, perSecond);
    budgets.set(slot, budget);
  }
  return budget;
}
