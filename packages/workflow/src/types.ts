import type { PaymentKind, PaymentMethod, PaymentRequest, PaymentStateName } from '@payments/contract';
import type { StartConfirmation } from './start-gate';

export type { PaymentKind, PaymentMethod } from '@payments/contract';
/** Whether money that moved has been given back; operators search on it. */
export type ReversalState = 'none' | 'pending' | 'done' | 'failed';

/** Durations the workflow waits on, fixed at the payment's start (config: *_MS). */
export interface PaymentTimers {
  /** inprogress → cancelled when the customer never approves. */
  expiryMs: number;
  /** ready_to_complete → reversed and cancelled when the register never acknowledges. */
  ackTimeoutMs: number;
  /** How long after completed a register's cancel still reverses. */
  lateCancelWindowMs: number;
  /** How long after completed a sale accepts refunds that credit it. */
  refundWindowMs: number;
}

/** Everything a payment workflow starts from. */
export interface PaymentInput {
  paymentid: string;
  merchant: string;
  method: PaymentMethod;
  kind: PaymentKind;
  /** Signed amount in minor units (negative for refunds), parsed once by the API. */
  amountMinor: number;
  /** The register's request, normalised (absent optional fields filled). */
  request: NormalisedRequest;
  /** Hash of the request body, to tell an idempotent retry from a conflicting one. */
  requestHash: string;
  timers: PaymentTimers;
  /** The API's promise to confirm that the register got the paymentid (start-gate.ts); absent on older payments. */
  startConfirmation?: StartConfirmation;
}

/** The POST body with every optional field present, as GET echoes it. */
export type NormalisedRequest = Required<Omit<PaymentRequest, 'customer' | 'creditpaymentid' | 'storeexternalid'>> & {
  creditpaymentid: string | null;
  storeexternalid: string | null;
  customer: PaymentRequest['customer'] | null;
};

/**
 * A provider that pushes its events: they reach the API (the acquirer's signed callbacks,
 * Stripe's webhooks), which signals `acquirerChanged`, and the workflow then reads the
 * collection once. A lost or late event costs at most `fallbackReadMs`: the workflow reads
 * anyway after that long without one (a durable timer, then one short read).
 */
export interface ProviderEvents {
  fallbackReadMs: number;
}

/** What the collection step (wallet or card terminal, then the acquirer) reports. */
export type CollectUpdate =
  | {
      status: 'pending';
      message: string;
      qrcode: string | null;
      acquirerId: string | null;
      /**
       * Set by the worker when the merchant's provider pushes its events (its provider config):
       * the workflow waits for them instead of long-polling. Recorded with each answer, so a
       * history from before, which has none, replays down the long poll as it ran.
       */
      events?: ProviderEvents;
    }
  | {
      status: 'approved';
      acquirerId: string;
      receiptrow: string;
      receiptsection: string[];
      /** The acquirer's word on reversing once the register has completed (false for some schemes). */
      lateReversalAllowed: boolean;
    }
  | { status: 'declined'; message: string }
  | { status: 'cancelled' };

/** A snapshot of the workflow's own bookkeeping, beside the register's view. */
export interface PaymentStatus {
  state: PaymentStateName;
  reversal: ReversalState;
  acquirerId: string | null;
  /** Refunds crediting this sale, in minor units (positive): reserved ones are in flight. */
  refundedMinor: number;
  reservedMinor: number;
}

/** Asked of a sale by a refund that credits it. */
export interface ReserveRefundRequest {
  refundPaymentId: string;
  merchant: string;
  currencycode: string;
  /** Positive minor units. */
  amountMinor: number;
}

/** How a refund that reserved against a sale ended. */
export interface RefundOutcome {
  refundPaymentId: string;
  outcome: 'settled' | 'released';
}

/**
 * A refund's reservation on the sale it credits, as POST answers it: taken (`admitted`), or
 * refused with the contract's error code. Its fields are recorded in histories and memos, so
 * they keep their names.
 */
export type RefundReservation =
  | { admitted: true }
  | { admitted: false; code: 'refund-exceeds-original' | 'field-validation'; message: string };
