import { Compile } from 'typebox/compile';
import { WorkflowNotFoundError } from '@temporalio/client';
import { Payment } from '@payments/contract';
import { paymentWorkflowId, type Admission } from '@payments/workflow';
import type { Deadline } from './deadline';
import type { PaymentsClient } from './temporal-client';

const checkPayment = Compile(Payment);

/** What the workflow's memo and status say about a payment, without asking a worker. */
export interface PaymentDescription {
  /** memo.merchant, written at start. */
  merchant: string | null;
  /** memo.requestHash, written at start. */
  requestHash: string | null;
  closed: boolean;
  /** memo.payment, written by the workflow as it closes. */
  final: Payment | null;
  /** memo.admission, written as it closes: how a refund that credits a sale was answered. */
  admission: Admission | null;
  runId: string;
}

function admissionOf(v: unknown): Admission | null {
  if (typeof v !== 'object' || v === null) return null;
  const a = v as Record<string, unknown>;
  if (a.admitted === true) return { admitted: true };
  if (a.admitted === false && (a.code === 'refund-exceeds-original' || a.code === 'field-validation') && typeof a.message === 'string') {
    return { admitted: false, code: a.code, message: a.message };
  }
  return null;
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
      admission: admissionOf(memo.admission),
      runId: d.runId,
    };
  } catch (err) {
    if (err instanceof WorkflowNotFoundError) return null;
    throw err;
  }
}
