import type { Payment } from '@payments/contract';
import type { PaymentInput, RefundReservation, ReversalState } from './types';

/**
 * What a payment's workflow keeps in its memo: the part the API reads without asking a worker
 * (describe is answered by the server alone). Written at start by the API (the first two) and
 * by the workflow as it closes (the rest); read by `readPaymentMemo` (client.ts).
 */
export interface PaymentMemo {
  /** The merchant whose credential started it: another merchant's GET is 404. */
  merchant: string;
  /** The start request's hash, so that a retry with the same Idempotency-Key and another body is refused. */
  requestHash: string;
  /** The final view, as a GET of the closed payment answers it. */
  payment?: Payment;
  reversal?: ReversalState;
  /** A refund's reservation on the sale it credits, for a retried POST of a closed refund (the key stays `admission`: closed workflows hold it). */
  admission?: RefundReservation | null;
}

/** The memo a payment's workflow starts with. */
export function startMemo(input: PaymentInput): PaymentMemo {
  return { merchant: input.merchant, requestHash: input.requestHash };
}

/** What the workflow adds to its memo as it closes. */
export function closingMemo(payment: Payment, reversal: ReversalState, reservation: RefundReservation | null): Omit<PaymentMemo, 'merchant' | 'requestHash'> {
  return { payment, reversal, admission: reservation };
}
