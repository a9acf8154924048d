/** What the simulator keeps on disk: the acquirer's payments and the terminals' transactions. */
import type { StripeState } from './stripe/stripe-state';
import type { VippsState } from './vipps/vipps-state';

import type { PaymentKind, PaymentMethod } from '@payments/contract';
import type { AcquirerReversal, AcquirerStatus, TerminalStatus } from '@payments/contract/wire';

export type { PaymentKind, PaymentMethod };
export type { AcquirerStatus, TerminalStatus };

/** One entry of a payment's history, in order. */
export interface LedgerEvent {
  at: string;
  type:
    | 'created'
    | 'authorized'
    | 'captured'
    | 'refunded'
    | 'declined'
    | 'cancelled'
    | 'expired'
    | 'reversed'
    | 'reversal-refused'
    | 'confirmed'
    | 'voided';
  amountMinor?: number;
  note?: string;
}

/** A payment in the simulated acquirer's ledger, keyed by our reference (the paymentid). */
export interface LedgerPayment {
  id: string;
  reference: string;
  merchant: string;
  kind: PaymentKind;
  method: PaymentMethod;
  /** Positive minor units. */
  amountMinor: number;
  currencycode: string;
  posid: string;
  originalReference: string | null;
  status: AcquirerStatus;
  createdAt: string;
  approvedAt: string | null;
  /** When the simulated customer answers a pending request (epoch ms); null: never. */
  dueAt: number | null;
  /** What the simulated customer answers at dueAt. */
  planned: 'approve' | 'decline' | null;
  reversal: AcquirerReversal;
  confirmed: boolean;
  lateReversalAllowed: boolean;
  /** Whether a person (or the simulated customer) answers on the wallet page. */
  customerStep: boolean;
  declineReason: string | null;
  receipt: { scheme: string; reference: string; last4: string | null };
  /** Held at approval (a sale's authorization, a refund's approved payout); nothing has moved yet. */
  authorizedMinor: number;
  /** Taken from the payer when the register completed (confirm). */
  capturedMinor: number;
  /** Authorizations released before the register completed: no money ever moved. */
  voidedMinor: number;
  /** Captured (or refunded) money given back after completion. */
  reversedMinor: number;
  /** Paid back to the payer when the register completed a refund. */
  refundedMinor: number;
  events: LedgerEvent[];
}

/** A card transaction on one register's terminal, keyed by posid and reference. */
export interface TerminalTransaction {
  posid: string;
  reference: string;
  kind: PaymentKind;
  amountMinor: number;
  currencycode: string;
  status: TerminalStatus;
  prompt: string;
  /** Epoch ms; the simulated customer's steps are timed from here, so they resume after a restart. */
  startedAt: number;
  cardToken: string | null;
  card: { scheme: string; last4: string } | null;
}

/** Everything the simulator persists, as one JSON document. */
export interface SimState {
  version: 1;
  payments: Record<string, LedgerPayment>;
  /** Idempotency-Key of a create → the reference it created. */
  createKeys: Record<string, string>;
  /** References cancelled before the acquirer saw them: a late create answers cancelled. */
  cancelledReferences: string[];
  terminals: Record<string, { transactions: Record<string, TerminalTransaction>; cancelledReferences: string[] }>;
  /** The Stripe-wire simulator's account book (stripe/); absent in ledgers written before it. */
  stripe?: StripeState;
  /** The Vipps-wire simulator's payments and tokens (vipps/); absent in ledgers written before it. */
  vipps?: VippsState;
}

/** A fresh, empty state. */
export function emptyState(): SimState {
  return { version: 1, payments: {}, createKeys: {}, cancelledReferences: [], terminals: {} };
}
