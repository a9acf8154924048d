import { WithStartWorkflowOperation, WorkflowExecutionAlreadyStartedError } from '@temporalio/client';
import { initialPaymentView, paymentStartOptions, paymentWorkflow, refundReservationUpdate, type PaymentInput, type RefundReservation } from '@payments/workflow';
import { assertOwnCreditedPayment } from './credited-sale';
import { describePayment } from '../temporal';
import type { PaymentContext } from './payment-context';
import { SpiError } from '../http';

/**
 * How long a sale's first workflow task waits. The API confirms the start (registerAnswered)
 * right after it has written the 200, so by then the signal is usually in, and the workflow
 * goes ahead without a timer or an extra workflow task to wait for it: each payment costs
 * fewer history events and workflow tasks. A refund's update-with-start cannot be delayed;
 * it waits in the workflow.
 */
const FIRST_TASK_DELAY = '100ms';

/** A start that found the workflow already there is fine for an idempotent retry; the hash check decides. */
async function tolerateClosed<T>(idempotent: boolean, start: () => Promise<T>): Promise<T | null> {
  try {
    return await start();
  } catch (err) {
    if (idempotent && err instanceof WorkflowExecutionAlreadyStartedError) return null;
    throw err;
  }
}

/**
 * Starts the payment's workflow. A refund that credits a sale waits, in the same call, for its
 * reservation on the sale (update-with-start): refused → 422 refund-exceeds-original or 400 field-validation;
 * a sale that is not the merchant's own is refused first, exactly as an unknown one.
 * With an Idempotency-Key, the workflow's memo must hold this request's hash, else 422.
 * The workflow waits for confirmStart before it touches acquirer or terminal.
 */
export async function startPayment(ctx: PaymentContext, input: PaymentInput, opts: { decimals: number; idempotent: boolean }): Promise<{ runId: string | undefined }> {
  const { client, deadline } = ctx;
  const options = paymentStartOptions(input, ctx.taskQueue, opts.decimals);
  let reservation: RefundReservation | null = null;
  let runId: string | undefined;
  /** Whether this request's own start created the workflow (then its memo holds this request's hash). */
  let startedHere = false;
  if (input.request.creditpaymentid !== null) {
    await assertOwnCreditedPayment(ctx, input.request.creditpaymentid, input.merchant);
    const startWorkflowOperation = new WithStartWorkflowOperation(paymentWorkflow, options);
    reservation = await tolerateClosed(opts.idempotent, () =>
      deadline.run(() => client.workflow.executeUpdateWithStart(refundReservationUpdate, { startWorkflowOperation })),
    );
  } else {
    // FAIL, not USE_EXISTING: a start that goes through is this request's own and needs no
    // describe to check it; one that finds the workflow (a retry, open or closed) is checked below.
    const handle = await tolerateClosed(opts.idempotent, () =>
      deadline.run(() =>
        client.workflow.start(paymentWorkflow, {
          ...options,
          workflowIdConflictPolicy: 'FAIL',
          ...(input.startConfirmation ? { startDelay: FIRST_TASK_DELAY } : {}),
        }),
      ),
    );
    runId = handle?.firstExecutionRunId;
    startedHere = handle !== null;
  }
  if (opts.idempotent && !startedHere) {
    const described = await describePayment(client, input.paymentid, deadline);
    if (!described) throw new SpiError('unavailable', 'the payment could not be started, try again');
    if (described.requestHash !== input.requestHash) {
      throw new SpiError('idempotency-conflict', 'this Idempotency-Key was used with a different request');
    }
    // A retry after the refund's workflow closed: answer as the first time.
    reservation ??= described.reservation;
    runId ??= described.runId;
  }
  ctx.directory.remember(input.paymentid, { merchant: input.merchant, final: null, runId });
  if (reservation && !reservation.admitted) {
    throw new SpiError(reservation.code, reservation.message, reservation.code === 'field-validation' ? 'creditpaymentid' : undefined);
  }
  // A workflow this request created starts from version 0 of the view: the register's first poll
  // is answered before the worker has pushed anything, and a view already pushed is newer and
  // stays. (Without a key the paymentid is new, so the workflow is too; a retry with a key may
  // find one that moved on, which the workflow's query answers.)
  if (startedHere || !opts.idempotent) {
    ctx.views.started({ paymentid: input.paymentid, version: 0, payment: initialPaymentView(input) });
  }
  return { runId };
}
