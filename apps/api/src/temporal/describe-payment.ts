import { WorkflowNotFoundError } from '@temporalio/client';
import type { Payment } from '@payments/contract';
import { paymentWorkflowId, readPaymentMemo, type RefundReservation } from '@payments/workflow';
import type { Deadline } from './deadline';
import type { PaymentsClient } from './temporal-client';

/** What the workflow's memo and status say about a payment, without asking a worker. */
export interface PaymentDescription {
  /** memo.merchant, written at start. */
  merchant: string | null;
  /** memo.requestHash, written at start. */
  requestHash: string | null;
  closed: boolean;
  /** memo.payment, written by the workflow as it closes. */
  final: Payment | null;
  /** memo.admission, written as it closes: how the sale a refund credits answered its reservation. */
  reservation: RefundReservation | null;
  runId: string;
  /** Events in its history so far: a young payment's is short (EVENTS_BEFORE_FIRST_TASK). */
  historyLength: number;
}

const CLOSED = new Set(['COMPLETED', 'FAILED', 'CANCELLED', 'TERMINATED', 'CONTINUED_AS_NEW', 'TIMED_OUT']);

/** Describes a payment's workflow (one call, answered by the server alone); null when there is none. */
export async function describePayment(client: PaymentsClient, paymentid: string, deadline: Deadline): Promise<PaymentDescription | null> {
  try {
    const d = await deadline.run(() => client.workflow.getHandle(paymentWorkflowId(paymentid)).describe());
    return { ...readPaymentMemo(d.memo), closed: CLOSED.has(d.status.name), runId: d.runId, historyLength: d.historyLength };
  } catch (err) {
    if (err instanceof WorkflowNotFoundError) return null;
    throw err;
  }
}
