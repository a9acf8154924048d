import type { PaymentFact, Period, ProviderRecord } from './types';
import type { ReconciliationReport } from './report';

/** A merchant a reconciliation covers, and whose books hold its money. */
export interface MerchantScope {
  merchant: string;
  /** The provider whose records are read: 'simulator', 'stripe', … */
  provider: string;
}

/** One page of a listing; `next` is null after the last. */
export interface Page<T> {
  items: T[];
  next: string | null;
}

/**
 * The reconciliation's activities: each reads a page, never one payment at a time.
 * @payments/activities implements them over Temporal's visibility and the providers' readers.
 */
export interface ReconcileActivities {
  /** The merchants to cover (one, or every configured one); non-retryable 'unknown-merchant' for a merchant not configured. */
  reconciliationScope(args: { merchant: string | null }): Promise<MerchantScope[]>;
  /** A page of the merchant's payment workflows started in the period, from visibility. */
  listPaymentPage(args: { merchant: string; period: Period; pageSize: number; cursor: string | null }): Promise<Page<PaymentFact>>;
  /** A page of the provider's records for the merchant created in the period, within the provider's rate limits. */
  listRecordPage(args: { scope: MerchantScope; period: Period; pageSize: number; cursor: string | null }): Promise<Page<ProviderRecord>>;
  /** Which of these paymentids have a payment workflow (of any period). */
  knownPayments(args: { paymentids: string[] }): Promise<string[]>;
  /** Writes the JSON and CSV files, flags the payments, logs each new flag and counts it; answers the files written. */
  publishReport(args: { report: ReconciliationReport }): Promise<{ files: string[]; newFlags: number }>;
}
