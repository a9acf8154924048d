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

/**
 * An update whose workflow task failed: most often the task closed the workflow while a signal
 * (a provider's webhook, set off by this very update's void or refund) arrived, and the server
 * refused the close (UnhandledCommand) and with it the update. Nothing of that task was kept:
 * the same update, sent again, runs in the task the server schedules at once.
 */
const UPDATE_TASK_FAILED = /unexpected workflow task failure/i;

/** Whether an error, or any error in its cause chain, passes `test`. */
function inCauseChain(err: unknown, test: (e: Error) => boolean): boolean {
  for (let e: unknown = err, depth = 0; e instanceof Error && depth < 8; e = e.cause, depth++) {
    if (test(e)) return true;
  }
  return false;
}

const failedPrecondition = (e: Error, details: RegExp) => isGrpcServiceError(e) && e.code === 9 /* FAILED_PRECONDITION */ && details.test(e.details);

/** Whether an update was refused because the workflow task running it failed: sending it again is safe and usually succeeds. */
export function isUpdateTaskFailure(err: unknown): boolean {
  return inCauseChain(err, (e) => failedPrecondition(e, UPDATE_TASK_FAILED));
}

/** Whether an error (or any error in its cause chain) says Temporal or its worker could not answer in time. */
export function isTemporalUnavailable(err: unknown): boolean {
  return inCauseChain(
    err,
    (e) =>
      e instanceof TemporalDeadlineError ||
      e instanceof WorkflowUpdateRPCTimeoutOrCancelledError ||
      (isGrpcServiceError(e) && TRANSIENT_GRPC_CODES.has(e.code)) ||
      failedPrecondition(e, NO_POLLER) ||
      failedPrecondition(e, TASK_RETRYING) ||
      failedPrecondition(e, UPDATE_TASK_FAILED),
  );
}
