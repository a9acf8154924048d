import { isGrpcServiceError, WorkflowUpdateRPCTimeoutOrCancelledError } from '@temporalio/client';
import { ERROR_STATUS, type ErrorBody, type ErrorCode } from '@payments/contract';

/** The one error type of the HTTP edge: a contract error code, a message for the register, and the field at fault. */
export class SpiError extends Error {
  override readonly name = 'SpiError';

  constructor(
    readonly code: ErrorCode,
    message: string,
    readonly field?: string,
  ) {
    super(message);
  }
}

/** Raised when a Temporal call outlives its deadline; the edge answers 503. */
export class TemporalDeadlineError extends Error {
  override readonly name = 'TemporalDeadlineError';
}

/** gRPC status codes that mean "Temporal is unreachable, slow or overloaded right now". */
const TRANSIENT_GRPC_CODES = new Set([1 /* CANCELLED */, 4 /* DEADLINE_EXCEEDED */, 8 /* RESOURCE_EXHAUSTED */, 14 /* UNAVAILABLE */]);

/**
 * A query the server refuses at once because no worker has polled the task queue lately (the
 * worker is down, or Temporal has just restarted and the worker has not polled it again yet).
 */
const NO_POLLER = /no poller seen/i;

/**
 * An update the server refuses while the workflow's task has failed or timed out and waits to be
 * retried: a worker too busy to finish it in time (overload), or one that died with it.
 */
const TASK_RETRYING = /workflow task in failed state/i;

/** Whether an error (or any error in its cause chain) says Temporal or its worker could not answer in time. */
export function isTemporalUnavailable(err: unknown): boolean {
  for (let e: unknown = err, depth = 0; e instanceof Error && depth < 8; e = e.cause, depth++) {
    if (e instanceof TemporalDeadlineError || e instanceof WorkflowUpdateRPCTimeoutOrCancelledError) return true;
    if (isGrpcServiceError(e) && TRANSIENT_GRPC_CODES.has(e.code)) return true;
    if (isGrpcServiceError(e) && e.code === 9 /* FAILED_PRECONDITION */ && (NO_POLLER.test(e.details) || TASK_RETRYING.test(e.details))) return true;
  }
  return false;
}

const GENERIC_MESSAGE: Partial<Record<ErrorCode, string>> = {
  other: 'internal error',
  unavailable: 'the payment service is temporarily unavailable, try again',
};

/**
 * Turns anything thrown into the contract's error response: an SpiError keeps its code, an
 * unreachable or slow Temporal becomes `unavailable`, everything else `other`. 5xx messages are
 * fixed texts, so no internal detail ever reaches the register.
 */
export function errorResponse(err: unknown, requestId: string): { status: number; body: ErrorBody } {
  const code: ErrorCode = err instanceof SpiError ? err.code : isTemporalUnavailable(err) ? 'unavailable' : 'other';
  const status = ERROR_STATUS[code];
  const error_data: ErrorBody['error_data'] = { message: 'internal error' };
  if (err instanceof SpiError && code === 'unavailable') {
    // Our own fixed texts (busy, or could not be started): they tell a shed POST from a timeout.
    error_data.message = err.message;
  } else if (status >= 500) {
    error_data.message = GENERIC_MESSAGE[code] ?? 'internal error';
  } else if (err instanceof SpiError) {
    error_data.message = err.message;
    if (err.field !== undefined) error_data.field = err.field;
  }
  return { status, body: { error_code: code, error_data, request_id: requestId } };
}
