import { Context } from '@temporalio/activity';
import { isGrpcServiceError, WorkflowUpdateFailedError, type Client } from '@temporalio/client';
import { ApplicationFailure, WorkflowNotFoundError } from '@temporalio/common';
import {
  FAILURE,
  paymentWorkflowId,
  refundFinishedSignal,
  refusalOf,
  reserveRefundUpdate,
  toApplicationFailure,
  type RefundOutcome,
  type ReserveRefundRequest,
} from '@payments/workflow';

/** The Temporal client the refund activities talk to the sale's workflow with. */
export interface TemporalDeps {
  client: Client;
  /** Deadline of one call to the sale's workflow (default 15 s, under the activity's 20 s). */
  callTimeoutMs?: number;
}

/** Refusals of the sale's reserveRefund validator that the refund reports to the register as they are. */
const REFUSALS = [FAILURE.refundExceedsOriginal, FAILURE.fieldValidation];

const NOT_REFUNDABLE = 'creditpaymentid does not refer to a refundable sale';

/** The sale's workflow does not exist or has closed: it will never take the message. */
function saleGone(err: unknown): boolean {
  if (err instanceof WorkflowNotFoundError) return true;
  const cause = err instanceof Error ? err.cause : undefined;
  // A closed workflow answers NOT_FOUND "workflow execution already completed" (gRPC code 5).
  return isGrpcServiceError(cause) && cause.code === 5;
}

/** Runs a client call with a deadline that also ends when the activity is cancelled. */
function bounded<T>(temporal: TemporalDeps, fn: () => Promise<T>): Promise<T> {
  const ctx = Context.current();
  const signal = AbortSignal.any([ctx.cancellationSignal, AbortSignal.timeout(temporal.callTimeoutMs ?? 15_000)]);
  return temporal.client.withAbortSignal(signal, fn);
}

/**
 * Reserves a refund's amount on the sale it credits, through the sale workflow's update. The
 * update id derives from the refund, so a retried activity reserves once.
 */
export async function reserveRefund(temporal: TemporalDeps, args: { salePaymentId: string; request: ReserveRefundRequest }): Promise<void> {
  const handle = temporal.client.workflow.getHandle(paymentWorkflowId(args.salePaymentId));
  try {
    await bounded(temporal, () =>
      handle.executeUpdate(reserveRefundUpdate, { args: [args.request], updateId: `reserve-${args.request.refundPaymentId}` }),
    );
  } catch (err) {
    if (saleGone(err)) throw ApplicationFailure.nonRetryable(NOT_REFUNDABLE, FAILURE.fieldValidation);
    const refused = err instanceof WorkflowUpdateFailedError ? refusalOf(err, REFUSALS) : null;
    if (refused) throw toApplicationFailure(refused);
    throw err;
  }
}

/** Tells the sale how a refund that reserved on it ended; a sale that is gone has nothing to release. */
export async function finishRefund(temporal: TemporalDeps, args: { salePaymentId: string; outcome: RefundOutcome }): Promise<void> {
  const handle = temporal.client.workflow.getHandle(paymentWorkflowId(args.salePaymentId));
  try {
    await bounded(temporal, () => handle.signal(refundFinishedSignal, args.outcome));
  } catch (err) {
    if (!saleGone(err)) throw err;
    Context.current().log.warn('the sale workflow is gone; the refund outcome is not recorded there', {
      salePaymentId: args.salePaymentId,
      ...args.outcome,
    });
  }
}
