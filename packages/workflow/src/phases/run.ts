import type { MetricCounter } from '@temporalio/common';
import type { Payment, PaymentStateName } from '@payments/contract';
import type { RefundBook } from '../refunds';
import type { PaymentRecord } from '../state';
import type { PaymentInput, RefundReservation } from '../types';

/**
 * One payment's run as its phases share it: the input, the record the handlers and phases
 * change, and how a change reaches the register and operators.
 */
export interface PaymentRun {
  readonly input: PaymentInput;
  /** The amount as people read it, e.g. "398.00 SEK". */
  readonly money: string;
  readonly isRefund: boolean;
  /** The sale a refund credits, or null. */
  readonly linkedSale: string | null;
  record: PaymentRecord;
  /** Refunds crediting this sale. */
  refunds: RefundBook;
  /** Callbacks from the acquirer: each one makes a waiting poll look again at once. */
  acquirerNudges: number;
  /** A refund's reservation on the sale it credits: null until the sale answers; taken from the start when there is no sale to ask. */
  reservation: RefundReservation | null;
  /** Reversals by outcome (payment_reversals_total). */
  readonly reversalsEnded: MetricCounter;
  /** The register's view of the payment now. */
  view(): Payment;
  /**
   * Takes the record and tells the register and operators (view push, search attributes,
   * details). `deferSearch`: the search attributes wait for the next change or `search()`,
   * for a state that the same workflow task will change again (each write is a history event
   * and a visibility update).
   */
  change(next: PaymentRecord, options?: { deferSearch?: boolean }): void;
  /** The record in a new state with its message, counted and published. */
  setState(state: PaymentStateName, message: string, options?: { deferSearch?: boolean }): void;
  /** Writes the search attributes now if they lag the record (after a deferred change). */
  search(): void;
}
