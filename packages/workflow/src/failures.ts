import { ApplicationFailure } from '@temporalio/common';

/**
 * Every failure type the payment's activities and validators throw, and that callers act on.
 * The API maps the register-facing ones to the contract's error codes of the same name.
 */
export const FAILURE = {
  /** The acquirer will never reverse this payment: a person must act (ReversalState=failed). */
  reversalRefused: 'reversal-refused',
  /** A refund, with the sale's other refunds, would exceed the sale. */
  refundExceedsOriginal: 'refund-exceeds-original',
  /** A refund's creditpaymentid, currency or amount is not acceptable to the sale. */
  fieldValidation: 'field-validation',
  /** The register asked for a move the payment's state does not allow. */
  invalidState: 'invalid-state',
  /** The register cancelled a completed payment that can no longer be reversed. */
  reversalNotPossible: 'reversal-not-possible',
} as const;

/** One of the failure types in FAILURE. */
export type FailureType = (typeof FAILURE)[keyof typeof FAILURE];

/** Error types an activity throws that no retry can change. */
export const NON_RETRYABLE = [FAILURE.reversalRefused, FAILURE.refundExceedsOriginal, FAILURE.fieldValidation] as const;

/** A refusal with its type and the message the register (or operator) reads. */
export interface Refusal<T extends FailureType = FailureType> {
  type: T;
  message: string;
}

/** The refusal as the ApplicationFailure an update validator or activity throws. */
export function toApplicationFailure(refusal: Refusal): ApplicationFailure {
  return ApplicationFailure.nonRetryable(refusal.message, refusal.type);
}

/**
 * The refusal an error carries, when it is (or directly wraps) an ApplicationFailure of one of
 * `types`: an ActivityFailure in the workflow, a WorkflowUpdateFailedError in a client. Null for
 * anything else (timeouts, cancellation, the server unreachable), which callers rethrow.
 */
export function refusalOf<T extends FailureType>(err: unknown, types: readonly T[]): Refusal<T> | null {
  const failure = err instanceof ApplicationFailure ? err : err instanceof Error ? err.cause : undefined;
  if (!(failure instanceof ApplicationFailure)) return null;
  const type = failure.type as T | null | undefined;
  return type && types.includes(type) ? { type, message: failure.message } : null;
}
