import Stripe from 'stripe';
import { RejectedError, TransientError } from '../errors';

/** Stripe's `code` of an error answer (e.g. terminal_reader_busy), or null. */
export function stripeCode(err: unknown): string | null {
  return err instanceof Stripe.errors.StripeError && typeof err.code === 'string' ? err.code : null;
}

/**
 * Our error for a failed SDK call: no answer, 5xx, 429 or a concurrent use of the same key are
 * transient (retry with the same key); any other answer is a definitive RejectedError carrying
 * Stripe's code.
 */
export function fromStripeError(err: unknown, what: string): Error {
  if (!(err instanceof Stripe.errors.StripeError)) return new TransientError(`${what}: ${err instanceof Error ? err.message : String(err)}`, null, { cause: err });
  const status = err.statusCode ?? null;
  if (
    err instanceof Stripe.errors.StripeConnectionError ||
    err instanceof Stripe.errors.StripeAPIError ||
    err instanceof Stripe.errors.StripeRateLimitError ||
    status === null ||
    status >= 500 ||
    status === 409
  ) {
    return new TransientError(`${what}: ${err.message}`, status, { cause: err });
  }
  return new RejectedError(`${what}: ${err.message}`, status, err.code ?? err.type);
}

/** First pause after a 429, doubled each time up to RATE_LIMIT_MAX_MS; the pause is jittered over its upper half. */
export const RATE_LIMIT_BASE_MS = 250;
export const RATE_LIMIT_MAX_MS = 4_000;

/**
 * How long to wait before trying again a call Stripe answered 429 (`attempt` 0 for the first
 * 429), or null when it is not a 429, or when Stripe says a retry will not help
 * (`Stripe-Should-Retry: false`): then it goes up as a TransientError at once. Exponential
 * backoff with jitter, so the calls refused together do not come back together.
 */
export function rateLimitRetry(err: unknown, attempt: number, random: () => number = Math.random): number | null {
  if (!(err instanceof Stripe.errors.StripeRateLimitError) && !(err instanceof Stripe.errors.StripeError && err.statusCode === 429)) return null;
  const headers = (err as Stripe.errors.StripeError).headers ?? {};
  if (String(headers['stripe-should-retry'] ?? '').toLowerCase() === 'false') return null;
  const ceiling = Math.min(RATE_LIMIT_MAX_MS, RATE_LIMIT_BASE_MS * 2 ** Math.max(0, attempt));
  return Math.round(ceiling / 2 + (random() * ceiling) / 2);
}
