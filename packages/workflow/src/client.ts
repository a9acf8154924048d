// The payment workflow as its clients (the API) start and read it: start options with the
// search attributes operators filter on, and the memo. Not part of the workflow bundle.
import { Compile } from 'typebox/compile';
import { formatMinor, Payment } from '@payments/contract';
import { paymentWorkflowId } from './ids';
import { startMemo, type PaymentMemo } from './memo';
import { SA } from './search-attributes';
import type { PaymentInput, RefundReservation } from './types';

/**
 * How long a worker may take over one workflow task before the server gives the task to another
 * worker: it bounds a register's wait when a worker dies in the middle of a task (Temporal's
 * default is 10 s). The payment's tasks are short: its calls in a task are local activities of
 * at most 300 ms (phases/steps.ts), and a local activity that ran longer would have the SDK
 * extend the task, not fail it.
 */
export const WORKFLOW_TASK_TIMEOUT = '2s';

/** The start options of a payment's workflow: id from the paymentid, never started twice, and what operators see in Temporal Web. */
export function paymentStartOptions(input: PaymentInput, taskQueue: string, decimals: number) {
  const { request, merchant, kind, method } = input;
  const amount = `${formatMinor(input.amountMinor, request.currencycode)} ${request.currencycode}`;
  return {
    workflowId: paymentWorkflowId(input.paymentid),
    taskQueue,
    args: [input] as [PaymentInput],
    workflowIdConflictPolicy: 'USE_EXISTING' as const,
    workflowIdReusePolicy: 'REJECT_DUPLICATE' as const,
    workflowTaskTimeout: WORKFLOW_TASK_TIMEOUT,
    memo: { ...startMemo(input) },
    typedSearchAttributes: [
      { key: SA.PaymentState, value: 'inprogress' },
      { key: SA.Merchant, value: merchant },
      { key: SA.StoreId, value: request.storeid },
      { key: SA.PosId, value: request.posid },
      { key: SA.ReceiptId, value: request.receiptid },
      { key: SA.PaymentMethod, value: method },
      { key: SA.PaymentKind, value: kind },
      { key: SA.ReversalState, value: 'none' },
      ...(request.creditpaymentid !== null ? [{ key: SA.CreditPaymentId, value: request.creditpaymentid }] : []),
      { key: SA.PaymentAmount, value: input.amountMinor / 10 ** decimals },
    ],
    staticSummary: `${kind === 'sale' ? 'Sale' : 'Refund'} ${amount} · store ${request.storeid} · POS ${request.posid}`,
    staticDetails: [
      `receipt ${request.receiptid || '(none)'}`,
      `merchant ${merchant}`,
      ...(request.creditpaymentid !== null ? [`credits payment ${request.creditpaymentid}`] : []),
    ].join('\n\n'),
  };
}

const checkPayment = Compile(Payment);

function reservationOf(v: unknown): RefundReservation | null {
  if (typeof v !== 'object' || v === null) return null;
  const a = v as Record<string, unknown>;
  if (a.admitted === true) return { admitted: true };
  if (a.admitted === false && (a.code === 'refund-exceeds-original' || a.code === 'field-validation') && typeof a.message === 'string') {
    return { admitted: false, code: a.code, message: a.message };
  }
  return null;
}

const str = (v: unknown): string | null => (typeof v === 'string' ? v : null);

/** A memo as describe() returns it, checked field by field: what is missing or malformed is null (a workflow of another version, or still open). */
export function readPaymentMemo(memo: Record<string, unknown> | undefined): {
  merchant: string | null;
  requestHash: string | null;
  final: Payment | null;
  reservation: RefundReservation | null;
} {
  const m: Partial<Record<keyof PaymentMemo, unknown>> = memo ?? {};
  return {
    merchant: str(m.merchant),
    requestHash: str(m.requestHash),
    final: checkPayment.Check(m.payment) ? m.payment : null,
    reservation: reservationOf(m.admission),
  };
}
