import type { PaymentKind } from './domain';

/**
 * One payment as the provider's books show it, keyed by our reference (the paymentid). What every
 * provider's reader (@payments/adapters' ProviderRecords) answers and the reconciliation
 * (@payments/workflow) matches against our payments.
 */
export interface ProviderRecord {
  /** Which provider's books: 'simulator', 'stripe', … */
  provider: string;
  /** The provider's own id (pay_…, pi_…). */
  id: string;
  /** Our paymentid, or null when the provider holds no reference of ours. */
  reference: string | null;
  merchant: string;
  kind: PaymentKind;
  currencycode: string;
  /** Positive minor units asked for. */
  amountMinor: number;
  createdAt: string;
  /** Held and not yet captured, voided or expired: money the payer cannot use. */
  heldMinor: number;
  capturedMinor: number;
  /** Paid back to the payer (a refund). */
  refundedMinor: number;
  /** Captured or refunded money given back after completion. */
  reversedMinor: number;
  /** Holds released before completion. */
  voidedMinor: number;
}
