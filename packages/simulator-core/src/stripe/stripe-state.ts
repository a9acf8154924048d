import type { LedgerEvent } from '../state';

/** PaymentIntent statuses the simulator uses (of Stripe's seven, not processing); requires_action only for Swish. */
export type IntentStatus = 'requires_payment_method' | 'requires_confirmation' | 'requires_action' | 'requires_capture' | 'succeeded' | 'canceled';

/**
 * A confirmed Swish intent's payment request: the QR the customer scans (its data is the URL of
 * the simulator's pay page) and what the simulated customer will do, timed so it resumes after a
 * restart.
 */
export interface SwishAttempt {
  /** payment_method_options.swish.reference: shown in the customer's Swish app. */
  reference: string | null;
  /** The QR code's data: the pay page, GET /swish/<intent>. */
  qrData: string;
  /** Epoch ms at which the QR stops being payable (Swish's payment request times out). */
  expiresAt: number;
  /** Epoch ms of the simulated customer's answer; null: only a person on the pay page answers. */
  answerAt: number | null;
  /** What the simulated customer answers. */
  answer: 'pay' | 'decline';
  /** The customer's phone, as the charge shows its last four digits. */
  phoneLast4: string | null;
}

/** A PaymentIntent, with the money it moved for the ledger. */
export interface StripeIntentRecord {
  id: string;
  /** The secret key that created it: another key gets resource_missing. */
  account: string;
  amount: number;
  currency: string;
  status: IntentStatus;
  captureMethod: 'automatic' | 'manual';
  paymentMethodTypes: string[];
  metadata: Record<string, string>;
  description: string | null;
  /** Unix seconds, as Stripe's timestamps. */
  created: number;
  canceledAt: number | null;
  cancellationReason: string | null;
  amountCapturable: number;
  amountReceived: number;
  lastPaymentError: { code: string; decline_code: string; message: string; type?: string } | null;
  paymentMethod: string | null;
  card: { brand: string; last4: string } | null;
  charge: { id: string; captured: boolean; amountRefunded: number } | null;
  authorizedMinor: number;
  capturedMinor: number;
  /** Authorizations released before capture (a cancelled requires_capture intent). */
  voidedMinor: number;
  /** Captured money refunded under the intent's own paymentid (a reversal). */
  reversedMinor: number;
  /** A Swish intent's payment request, once confirmed. */
  swish?: SwishAttempt | null;
  events: LedgerEvent[];
}

/** The action a reader runs; only process_payment_intent is simulated. */
export interface ReaderAction {
  type: 'process_payment_intent';
  status: 'in_progress' | 'succeeded' | 'failed';
  failureCode: string | null;
  failureMessage: string | null;
  paymentIntent: string;
}

/** A simulated server-driven reader (device_type simulated_wisepos_e). */
export interface StripeReaderRecord {
  id: string;
  account: string;
  status: 'online' | 'offline';
  action: ReaderAction | null;
  /** While in progress: waiting for a card, or authorizing the one presented (busy). */
  phase: 'collecting' | 'authorizing' | null;
  cardNumber: string | null;
  /** Epoch ms of the simulated customer's next step, so it resumes after a restart. */
  presentAt: number | null;
  decideAt: number | null;
}

/** A Refund of a captured PaymentIntent. */
export interface StripeRefundRecord {
  id: string;
  account: string;
  amount: number;
  currency: string;
  paymentIntent: string;
  charge: string;
  metadata: Record<string, string>;
  reason: string | null;
  created: number;
}

/** A stored answer to an idempotent request, replayed for the same key and parameters. */
export interface StripeIdempotentAnswer {
  method: string;
  path: string;
  params: string;
  status: number;
  body: unknown;
  at: number;
}

/** The Stripe side of the simulator, persisted in the ledger file. */
export interface StripeState {
  intents: Record<string, StripeIntentRecord>;
  readers: Record<string, StripeReaderRecord>;
  refunds: Record<string, StripeRefundRecord>;
  /** `${account} ${Idempotency-Key}` → the answer. */
  idempotency: Record<string, StripeIdempotentAnswer>;
}

/** A fresh, empty Stripe account book. */
export function emptyStripeState(): StripeState {
  return { intents: {}, readers: {}, refunds: {}, idempotency: {} };
}
