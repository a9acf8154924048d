import { WorkflowNotFoundError } from '@temporalio/client';
import type { Payment } from '@payments/contract';
import { paymentWorkflowId, viewQuery } from '@payments/workflow';
import { describePayment, EVENTS_BEFORE_FIRST_TASK, isTemporalUnavailable, viewBeforeFirstTask } from '../temporal';
import { findPayment, notFound } from './find-payment';
import type { PaymentContext } from './payment-context';

/**
 * The payment as GET answers it. An open payment answers from the view its workflow pushed to
 * this API, without a Temporal call; a view held longer than VIEW_TRUST_MS is checked by a query
 * in the background, within the background budget. With no view held (another API instance started the payment, this one
 * restarted, or a PUT's outcome is unknown), the workflow's query answers, or, for a payment
 * whose workflow has not completed its first task, the start's input in its history. A closed payment
 * answers from the memo its workflow wrote on closing, which needs no worker.
 */
export async function readPayment(ctx: PaymentContext, paymentid: string, merchant: string): Promise<Payment> {
  const found = await findPayment(ctx, paymentid, merchant);
  if (found.final) return found.final;
  const fresh = ctx.views.fresh(paymentid);
  if (fresh) return fresh;
  const handle = ctx.client.workflow.getHandle(paymentWorkflowId(paymentid), found.runId);
  const held = ctx.views.last(paymentid);
  if (held) {
    // Old enough to be checked: answered now, checked in the background for the next poll —
    // but only while Temporal has room: under overload the checks are the first work shed.
    if (ctx.admission.hasRoomForBackground()) {
      const deadline = ctx.newDeadline();
      const query = () => ctx.admission.run('background', () => deadline.run(() => handle.query(viewQuery)), isTemporalUnavailable);
      ctx.views.revalidate(paymentid, query, (err) => {
        if (err instanceof WorkflowNotFoundError) ctx.views.forget(paymentid);
      });
    }
    return held;
  }
  const reserveMs = found.remembered ? ctx.deadline.fallbackReserve() : 0;
  if (!found.closed && found.historyLength !== undefined && found.historyLength <= EVENTS_BEFORE_FIRST_TASK) {
    // Started a moment ago on another API instance, before the worker's first view of it came:
    // its history says whether it has changed anything yet, where a query would wait for that.
    // Temporal too slow, or no such workflow: the query below decides (503, or 404).
    const initial = await viewBeforeFirstTask(ctx.client, paymentid, ctx.deadline, ctx.deadline.fallbackReserve()).catch((err: unknown) => {
      if (isTemporalUnavailable(err) || err instanceof WorkflowNotFoundError) return null;
      throw err;
    });
    if (initial) {
      ctx.views.started({ paymentid, version: 0, payment: initial });
      return initial;
    }
  }
  try {
    const view = await ctx.deadline.run(() => handle.query(viewQuery), { reserveMs });
    ctx.views.checked(view);
    return view.payment;
  } catch (err) {
    if (err instanceof WorkflowNotFoundError) {
      ctx.directory.forget(paymentid);
      ctx.views.forget(paymentid);
      throw notFound();
    }
    if (!isTemporalUnavailable(err)) throw err;
    // A payment remembered as open may have closed since: its memo needs no worker.
    const final = found.remembered ? await finalFromMemo(ctx, paymentid, merchant) : null;
    if (final) return final;
    // What the API holds now: a push or a PUT's answer that came while the query waited; or,
    // after a failed PUT, while no worker can answer for the payment (one died, and the next
    // takes it over), the view from before that PUT: nothing newer was told to the register.
    const held = ctx.views.last(paymentid) ?? ctx.views.beforeFailedPut(paymentid);
    if (held) return held;
    throw err;
  }
}

/** The final view in a closed workflow's memo; null when it is open, has none, or Temporal cannot say in time. */
async function finalFromMemo(ctx: PaymentContext, paymentid: string, merchant: string): Promise<Payment | null> {
  let described;
  try {
    described = await describePayment(ctx.client, paymentid, ctx.deadline);
  } catch (err) {
    if (isTemporalUnavailable(err)) return null;
    throw err;
  }
  if (!described) throw notFound();
  if (!described.closed || !described.final) return null;
  ctx.directory.remember(paymentid, { merchant, final: described.final });
  ctx.views.forget(paymentid);
  return described.final;
}
