import { TypeCompiler } from '@sinclair/typebox/compiler';
import { WorkflowNotFoundError } from '@temporalio/client';
import { Payment } from '@payments/contract';
import { paymentWorkflowId } from '@payments/workflow';
import type { Deadline } from './deadline';
import type { PaymentsClient } from './temporal-client';

const checkPayment = TypeCompiler.Compile(Payment);

/** What the workflow's memo and status say about a payment, without asking a worker. */
export interface PaymentDescription {
  /** memo.merchant, written at start. */
  merchant: string | null;
  /** memo.requestHash, written at start. */
  requestHash: string | null;
  closed: boolean;
  /** memo.payment, written by the workflow as it closes. */
  final: Payment | null;
}

const CLOSED = new Set(['COMPLETED', 'FAILED', 'CANCELLED', 'TERMINATED', 'CONTINUED_AS_NEW', 'TIMED_OUT']);

const str = (v: unknown): string | null => (typeof v === 'string' ? v : null);

/** Describes a payment's workflow (one call, answered by the server alone); null when there is none. */
export async function describePayment(client: PaymentsClient, paymentid: string, deadline: Deadline): Promise<PaymentDescription | null> {
  try {
    const d = await deadline.run(() => client.workflow.getHandle(paymentWorkflowId(paymentid)).describe());
    const memo = d.memo ?? {};
    return {
      merchant: str(memo.merchant),
      requestHash: str(memo.requestHash),
      closed: CLOSED.has(d.status.name),
      final: checkPayment.Check(memo.payment) ? memo.payment : null,
    };
  } catch (err) {
    if (err instanceof WorkflowNotFoundError) return null;
    throw err;
  }
}
