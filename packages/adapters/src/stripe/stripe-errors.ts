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
