import type { PaymentKind, PaymentMethod } from '@payments/contract';

/** Where a payment stands at the acquirer. */
export type AcquirerStatus = 'pending' | 'approved' | 'declined' | 'cancelled' | 'expired';
/** Whether approved money was given back. */
export type AcquirerReversal = 'none' | 'done' | 'refused';

/** The acquirer's view of one payment; every call answers it. */
export interface AcquirerPayment {
  id: string;
  /** Our paymentid: unique at the acquirer, so a retried create never moves money twice. */
  reference: string;
  kind: PaymentKind;
  method: PaymentMethod;
  /** Positive minor units. */
  amountMinor: number;
  currencycode: string;
  status: AcquirerStatus;
  approvedAt: string | null;
  reversal: AcquirerReversal;
  confirmed: boolean;
  /** Whether the scheme still reverses once the register has confirmed. */
  lateReversalAllowed: boolean;
  /** The customer's wallet page while they must scan; null when no customer step. */
  qrUrl: string | null;
  declineReason: string | null;
  receipt: { scheme: string; reference: string; last4: string | null };
}

/** What we ask the acquirer to collect or pay back. */
export interface CreatePayment {
  reference: string;
  merchant: string;
  kind: PaymentKind;
  method: PaymentMethod;
  /** Positive minor units. */
  amountMinor: number;
  currencycode: string;
  posid: string;
  /** The sale's reference, for a refund paid straight back to its payer. */
  originalReference: string | null;
  /** From the terminal, for card payments. */
  cardToken?: string;
}

/** A call that changes something: the key makes its retries safe. */
export interface ChangeCall {
  idempotencyKey: string;
  signal?: AbortSignal;
}

/** The acquirer, as the activities use it. Transient faults throw TransientError; definitive refusals their own errors. */
export interface Acquirer {
  create(payment: CreatePayment, call: ChangeCall): Promise<AcquirerPayment>;
  /** With waitMs, long-polls: answers once the payment is no longer pending, or after waitMs. */
  get(id: string, options?: { waitMs?: number; signal?: AbortSignal }): Promise<AcquirerPayment>;
  /** Stops a pending request. AlreadyApprovedError when the money had moved. */
  cancel(id: string, call: ChangeCall): Promise<AcquirerPayment>;
  /** Cancel for a payment whose id we never learnt; null when the acquirer has not seen it (and now never will). */
  cancelByReference(reference: string, call: ChangeCall): Promise<AcquirerPayment | null>;
  /** Gives approved money back, once. ReversalRefusedError when the scheme will not. */
  reverse(id: string, call: ChangeCall): Promise<AcquirerPayment>;
  /** Tells the acquirer the register accepted the payment. */
  confirm(id: string, call: ChangeCall): Promise<AcquirerPayment>;
}
