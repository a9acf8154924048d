import type { Payment } from '@payments/contract';
import { describePayment } from '../temporal';
import type { PaymentContext } from './payment-context';
import { SpiError } from '../http';

/** A payment the caller may see. */
export interface FoundPayment {
  /** The final view when the workflow is known to have closed (nothing changes after that). */
  final: Payment | null;
  /** True when the workflow is known to have closed, with or without a final view in its memo. */
  closed: boolean;
  /** True when the answer came from memory: the workflow may have closed since. */
  remembered: boolean;
  /** The workflow's run, when known. */
  runId: string | undefined;
  /** How long its history was, when this lookup described it (undefined from memory). */
  historyLength?: number;
}

export const notFound = (): SpiError => new SpiError('not-found', 'no such payment');

/**
 * Checks that the payment exists and belongs to the merchant: from memory when the API has seen
 * it, else from the workflow's memo. Another merchant's payment is 404, exactly like an unknown id.
 */
export async function findPayment(ctx: PaymentContext, paymentid: string, merchant: string): Promise<FoundPayment> {
  const known = ctx.directory.get(paymentid);
  if (known) {
    if (known.merchant !== merchant) throw notFound();
    return { final: known.final, closed: known.final !== null, remembered: true, runId: known.runId };
  }
  const described = await describePayment(ctx.client, paymentid, ctx.deadline);
  if (!described || described.merchant === null) throw notFound();
  const final = described.closed ? described.final : null;
  ctx.directory.remember(paymentid, { merchant: described.merchant, final, runId: described.runId });
  if (described.merchant !== merchant) throw notFound();
  return { final, closed: described.closed, remembered: false, runId: described.runId, historyLength: described.historyLength };
}
