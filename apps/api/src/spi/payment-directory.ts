import type { Payment } from '@payments/contract';
import { storeNewest } from '../memory';

/** What the API remembers of a payment: its merchant, and once its workflow has closed, its final view. */
export interface KnownPayment {
  merchant: string;
  /** Set only when the workflow has closed: nothing about the payment changes after that. */
  final: Payment | null;
  /**
   * The workflow's run, when known: calls that name it skip the server's lookup of the current
   * run (a read of its database on every query and update).
   */
  runId?: string;
}

/**
 * paymentid → its merchant (who owns it), its run, and once the workflow has closed its final
 * view (answered without a query); least recently used out first. Filled on POST and on the first
 * describe of a payment, so ownership normally costs no Temporal call; a miss (another API
 * instance, a restart) falls back to the workflow's memo.
 */
export class PaymentDirectory {
  private readonly entries = new Map<string, KnownPayment>();

  constructor(private readonly capacity = 10_000) {}

  get(paymentid: string): KnownPayment | undefined {
    const known = this.entries.get(paymentid);
    if (known) storeNewest(this.entries, paymentid, known, this.capacity);
    return known;
  }

  remember(paymentid: string, known: KnownPayment): void {
    storeNewest(this.entries, paymentid, known, this.capacity);
  }

  forget(paymentid: string): void {
    this.entries.delete(paymentid);
  }
}
