import { StripeRateLimit } from './stripe-rate-limit';

/** A hold on the answers of some Stripe calls: they execute at once and answer only when it ends. */
export interface StripeHold {
  /** The calls whose path ends with this (`/v1/payment_intents`: creates; `/process_payment_intent`; `/v1/terminal/readers/tmr_…`: reads of a reader). */
  path: string;
  /** Epoch ms at which the held answers go out. */
  until: number;
}

/**
 * Stripe's misbehaviour that the money rules must survive, set by tests through
 * POST /sim/stripe/faults: a search index that lags new intents, and writes whose answer is slow
 * (executed, stored only when answered: a replay meanwhile is "in progress", 409) or reads that
 * hang. Memory only.
 */
export class StripeFaults {
  /** How long a new PaymentIntent stays out of search results (Stripe: "under a minute", normally). */
  searchLagMs = 0;
  /** Stripe's sandbox rate limit per account; tests lower it or make its 429s say not to retry. */
  readonly rateLimit: StripeRateLimit;
  private hold: StripeHold | null = null;
  private readonly waiting = new Set<() => void>();
  private timer: NodeJS.Timeout | undefined;

  constructor(private readonly clock: () => number) {
    this.rateLimit = new StripeRateLimit(clock);
  }

  /** Holds the matching writes' answers for ms from now; null releases the held ones at once. */
  setHold(hold: { path: string; ms: number } | null): void {
    clearTimeout(this.timer);
    this.hold = hold ? { path: hold.path, until: this.clock() + hold.ms } : null;
    if (hold) this.timer = setTimeout(() => this.release(), hold.ms);
    else this.release();
  }

  get currentHold(): StripeHold | null {
    return this.hold && this.hold.until > this.clock() ? this.hold : null;
  }

  /** Resolves when a call to this path may answer. */
  async answerable(path: string): Promise<void> {
    const hold = this.currentHold;
    if (!hold || !path.endsWith(hold.path)) return;
    await new Promise<void>((resolve) => this.waiting.add(resolve));
  }

  /** Whether an intent created at `createdSec` (Stripe's unix seconds) is in the search index yet. */
  searchable(createdSec: number): boolean {
    return createdSec * 1000 + this.searchLagMs <= this.clock();
  }

  close(): void {
    this.setHold(null);
  }

  private release(): void {
    this.hold = null;
    for (const resolve of this.waiting) resolve();
    this.waiting.clear();
  }
}
