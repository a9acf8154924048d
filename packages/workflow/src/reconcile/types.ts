import type { PaymentKind, PaymentMethod } from '@payments/contract';
import type { ReversalState } from '../types';

/** A payment as Temporal's visibility tells it: its search attributes and, once closed, its memo. */
export interface PaymentFact {
  paymentid: string;
  merchant: string;
  storeid: string;
  method: PaymentMethod;
  kind: PaymentKind;
  /** Positive minor units. */
  amountMinor: number;
  /** Empty while the workflow runs (its closing memo names it): the provider's record then does. */
  currencycode: string;
  /** completed or cancelled once the register has its answer; inprogress or ready_to_complete before. */
  state: string;
  /** The workflow no longer runs. A completed sale's runs on through its late-cancel and refund windows. */
  closed: boolean;
  reversal: ReversalState;
  /** The sale a refund credits. */
  creditpaymentid: string | null;
  /** When the workflow started (ISO); the payment belongs to the period this falls in. */
  startedAt: string;
}

/** One payment as the provider's books show it: declared with the contract, where the adapters' readers share it. */
export type { ProviderRecord } from '@payments/contract';

/** What the reconciliation flags, each on one payment (or provider record) with its evidence. */
export const FLAG_KINDS = [
  'moved-on-cancelled',
  'completed-not-captured',
  'hold-open',
  'refund-beyond-sale',
  'unknown-record',
  'reversal-pending',
  'reversal-failed',
] as const;
export type FlagKind = (typeof FLAG_KINDS)[number];

export interface Flag {
  kind: FlagKind;
  /** The payment flagged; for an unknown record, the provider's reference (or its id when it has none). */
  paymentid: string;
  merchant: string;
  storeid: string | null;
  /** One sentence an operator can act on, with the amounts. */
  evidence: string;
}

/** Counts and sums of one merchant and store, by method, kind and final state. */
export interface Tally {
  merchant: string;
  storeid: string;
  method: string;
  kind: string;
  state: string;
  count: number;
  amountMinor: number;
}

/** Money moved at the provider, per merchant and store and currency. */
export interface Money {
  merchant: string;
  storeid: string;
  currencycode: string;
  capturedMinor: number;
  refundedMinor: number;
  reversedMinor: number;
  voidedMinor: number;
  /** captured − refunded − reversed of sales + reversed of refunds: what the merchant keeps. */
  netMinor: number;
}

/** The half-open period [from, to) a reconciliation covers. */
export interface Period {
  from: string;
  to: string;
}

/** What the matching finds over one merchant's (or every merchant's) payments and records. */
export interface Matching {
  tallies: Tally[];
  money: Money[];
  flags: Flag[];
}
