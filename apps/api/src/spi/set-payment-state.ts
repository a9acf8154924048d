import { WorkflowNotFoundError, WorkflowUpdateFailedError } from '@temporalio/client';
import type { Payment, TargetState } from '@payments/contract';
import { FAILURE, paymentQuery, paymentWorkflowId, refusalOf, setStateUpdate, transitionRefusal } from '@payments/workflow';
import { randomUUID } from 'node:crypto';
import { describePayment, isTemporalUnavailable, isUpdateTaskFailure, type PaymentsClient } from '../temporal';
import { findPayment, notFound } from './find-payment';
import type { PaymentContext } from './payment-context';
import { SpiError } from '../http';

/** The workflow's validator refuses a transition with an ApplicationFailure of one of these types. */
function refusal(err: unknown): SpiError | null {
  if (!(err instanceof WorkflowUpdateFailedError)) return null;
  const refused = refusalOf(err, [FAILURE.invalidState, FAILURE.reversalNotPossible]);
  return refused ? new SpiError(refused.type, refused.message) : null;
}

/**
 * The contract's PUT table for a payment whose workflow has closed, decided by the workflow's
 * own rules (transitionRefusal): nothing can move any more, so asking for the state it ended
 * in is a no-op, and anything else is refused.
 */
export function answerAfterClose(final: Payment, target: TargetState): Payment {
  const refused = transitionRefusal(final.paymentstate.state, target, { closed: true, lateCancel: () => null });
  if (refused) throw new SpiError(refused.type, refused.message);
  return final;
}

/**
 * The id of the update that carries a register's PUT: the same for the register's retries of
 * that PUT while the payment's view has not changed, so a retry joins the update the server
 * already admitted instead of adding another (a retry every 500 ms while a worker is replaced
 * would otherwise pile up updates, each waiting for the same workflow task). Once the workflow
 * moves, the version moves and a new PUT is a new update, decided on the state it meets. With
 * no view held (another API instance, or a restart) the client picks a fresh id.
 */
export function registerUpdateId(paymentid: string, target: TargetState, viewVersion: number | undefined): string | undefined {
  return viewVersion === undefined ? undefined : `${paymentid}/${target}/v${viewVersion}`;
}

/** A task that fails again and again is a fault of its own (a worker that cannot run it): the register retries after a 503. */
const UPDATE_ATTEMPTS = 3;

/**
 * Runs the register's update, sending it again (same id) while its workflow task fails: the
 * task that cancels a payment can close the workflow just as the provider's webhook about that
 * cancel arrives, and the server then refuses the task and the update with it. The next task
 * comes at once, so the register gets its answer within the deadline instead of an error.
 */
async function updateUntilKept(
  ctx: PaymentContext,
  handle: ReturnType<PaymentsClient['workflow']['getHandle']>,
  target: TargetState,
  updateId: string,
): Promise<Payment> {
  for (let attempt = 1; ; attempt++) {
    try {
      return await ctx.deadline.run(() => handle.executeUpdate(setStateUpdate, { args: [target], updateId }));
    } catch (err) {
      if (!isUpdateTaskFailure(err) || attempt === UPDATE_ATTEMPTS || ctx.deadline.remaining() === 0) throw err;
    }
  }
}

/**
 * PUT: the workflow's update decides (its validator refuses invalid moves without touching
 * history → 409). When the workflow has closed, the update cannot reach it: the final view
 * (memo, or a query) and answerAfterClose decide instead. A payment the API remembers as open
 * may have closed since: its update then fails fast, and that check needs no worker.
 */
export async function setPaymentState(ctx: PaymentContext, paymentid: string, merchant: string, target: TargetState): Promise<Payment> {
  const found = await findPayment(ctx, paymentid, merchant);
  if (found.final) return answerAfterClose(found.final, target);
  const handle = ctx.client.workflow.getHandle(paymentWorkflowId(paymentid), found.runId);
  let updateError: unknown = null;
  if (!found.closed) {
    // The whole deadline, no time kept back for the describe below: an update that reaches a
    // closed workflow fails at once (not found) and leaves the time for it, while an update
    // still waiting for a busy worker is the register's only chance of a 200 (a describe after
    // it would find the payment open and could only answer 503).
    try {
      const updateId = registerUpdateId(paymentid, target, ctx.views.version(paymentid)) ?? randomUUID();
      const payment = await updateUntilKept(ctx, handle, target, updateId);
      ctx.views.updated(paymentid, payment);
      return payment;
    } catch (err) {
      const refused = refusal(err);
      if (refused) throw refused;
      // The update may or may not have been kept: what the worker pushed while running it waits for a query.
      ctx.views.suspect(paymentid);
      // An update cannot reach a closed workflow: the server answers "not found".
      const maybeClosed = err instanceof WorkflowNotFoundError || (found.remembered && isTemporalUnavailable(err));
      if (!maybeClosed) throw err;
      updateError = err;
    }
  }
  const described = await describePayment(ctx.client, paymentid, ctx.deadline);
  if (!described) {
    ctx.directory.forget(paymentid);
    throw notFound();
  }
  if (!described.closed) {
    // Open after all: the update timed out, or raced the workflow's start; the register retries.
    throw isTemporalUnavailable(updateError) ? updateError : new SpiError('unavailable', 'the payment could not be updated, try again');
  }
  if (described.final) ctx.directory.remember(paymentid, { merchant, final: described.final });
  const final = described.final ?? (await ctx.deadline.run(() => handle.query(paymentQuery)));
  return answerAfterClose(final, target);
}
