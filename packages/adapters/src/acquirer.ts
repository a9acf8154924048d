import type { AcquirerPaymentBody, CreatePaymentBody } from '@payments/contract/wire';

export type { AcquirerReversal, AcquirerStatus } from '@payments/contract/wire';

/**
 * The acquirer's view of one payment, as the activities read it: the HTTP acquirer's answer
 * without what only its ledger needs (merchant, posid, originalReference, createdAt), so a
 * provider that keeps no such fields (Stripe) answers the same.
 */
export type AcquirerPayment = Omit<AcquirerPaymentBody, 'merchant' | 'posid' | 'originalReference' | 'createdAt'> & {
  /**
   * What the register should tell the customer while the payment waits for them, in the
   * provider's own words ("…with Swish"); absent, the activities show a generic text.
   */
  prompt?: string;
};

/** What we ask the acquirer to collect or pay back: the HTTP acquirer's create body. */
export type CreatePayment = CreatePaymentBody;

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
