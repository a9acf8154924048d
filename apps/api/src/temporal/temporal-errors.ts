import { isGrpcServiceError, WorkflowUpdateRPCTimeoutOrCancelledError } from '@temporalio/client';

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
