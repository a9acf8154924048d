import { WorkflowNotFoundError } from '@temporalio/client';
import type { Payment } from '@payments/contract';
import { paymentQuery, paymentWorkflowId } from '@payments/workflow';
import { describePayment } from './describe-payment';
import { findPayment, notFound } from './find-payment';
import type { PaymentContext } from './payment-context';
import { isTemporalUnavailable } from './spi-error';

/**
 * The payment as GET answers it. An open workflow answers its query (one call when the API
 * already knows the payment). A closed one answers from the memo it wrote on closing, which
 * needs no worker; a remembered payment whose query finds no worker in time gets that chance too.
 */
export async function readPayment(ctx: PaymentContext, paymentid: string, merchant: string): Promise<Payment> {
  const found = await findPayment(ctx, paymentid, merchant);
  if (found.final) return found.final;
  const handle = ctx.client.workflow.getHandle(paymentWorkflowId(paymentid), found.runId);
  const reserveMs = found.remembered ? ctx.deadline.fallbackReserve() : 0;
  try {
    return await ctx.deadline.run(() => handle.query(paymentQuery), { reserveMs });
  } catch (err) {
    if (err instanceof WorkflowNotFoundError) {
      ctx.owners.forget(paymentid);
      throw notFound();
    }
    if (!(found.remembered && isTemporalUnavailable(err))) throw err;
    const described = await describePayment(ctx.client, paymentid, ctx.deadline);
    if (!described) throw notFound();
    if (!described.closed || !described.final) throw err;
    ctx.owners.remember(paymentid, { merchant, final: described.final });
    return described.final;
  }
}
