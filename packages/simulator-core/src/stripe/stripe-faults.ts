import { AnswerHold, type HeldAnswers } from '../answer-hold';
import { StripeRateLimit } from './stripe-rate-limit';

/** A hold on some Stripe calls' answers, by path: `/v1/payment_intents` (creates), `/process_payment_intent`, `/v1/terminal/readers/tmr_…` (reads of a reader). */
export type StripeHold = HeldAnswers;

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
  private readonly answers: AnswerHold;

  constructor(private readonly clock: () => number) {
    this.rateLimit = new StripeRateLimit(clock);
    this.answers = new AnswerHold(clock);
  }

  /** Holds the matching writes' answers for ms from now; null releases the held ones at once. */
  setHold(hold: { path: string; ms: number } | null): void {
    this.answers.set(hold);
  }

  get currentHold(): StripeHold | null {
    return this.answers.current;
  }

  /** Resolves when a call to this path may answer. */
  answerable(path: string): Promise<void> {
    return this.answers.answerable(path);
  }

  /** Whether an intent created at `createdSec` (Stripe's unix seconds) is in the search index yet. */
  searchable(createdSec: number): boolean {
    return createdSec * 1000 + this.searchLagMs <= this.clock();
  }

  close(): void {
    this.setHold(null);
  }
}
