import type { VippsAmount, VippsCurrency, VippsEventName, VippsState as VippsPaymentState } from '@payments/contract/wire';

export type { VippsAmount, VippsCurrency, VippsEventName, VippsPaymentState };

/** One entry of a payment's event log, as GET …/events and the webhooks report it. */
export interface VippsEventRecord {
  name: VippsEventName;
  /** Minor units in the payment's currency. */
  value: number;
  timestamp: string;
  idempotencyKey: string | null;
  success: boolean;
}

/** An ePayment payment of one sales unit (MSN), with its running totals in minor units. */
export interface VippsPaymentRecord {
  msn: string;
  reference: string;
  pspReference: string;
  state: VippsPaymentState;
  currency: VippsCurrency;
  value: number;
  userFlow: string;
  paymentDescription: string | null;
  metadata: Record<string, string> | null;
  /** The token in the QR's target URL: the page behind it approves or declines. */
  token: string;
  /** What the create asked for: TEXT/TARGETURL answers the landing page's URL, otherwise an image URL. */
  qrFormat: string | null;
  /** Epoch ms. */
  createdAt: number;
  /** Epoch ms after which a payment still CREATED expires. */
  expiresAt: number;
  /** Epoch ms at which the simulated customer answers; null: it does not (a person may, on the page). */
  customerAt: number | null;
  /** What the simulated customer answers at customerAt. */
  customerAnswer: 'approve' | 'decline' | null;
  authorized: number;
  cancelled: number;
  captured: number;
  refunded: number;
  events: VippsEventRecord[];
}

/** An access token handed out by POST /accesstoken/get. */
export interface VippsTokenRecord {
  clientId: string;
  subscriptionKey: string;
  /** Epoch ms. */
  expiresAt: number;
}

/** A stored answer to a request with an Idempotency-Key, replayed for the same key and request. */
export interface VippsIdempotentAnswer {
  request: string;
  status: number;
  body: unknown;
  at: number;
}

/** A webhook registered through POST /webhooks/v1/webhooks. */
export interface VippsWebhookRegistration {
  id: string;
  msn: string;
  url: string;
  secret: string;
  events: string[];
}

/** The Vipps side of the simulator, persisted in the ledger file. */
export interface VippsState {
  /** `${msn} ${reference}` → the payment. */
  payments: Record<string, VippsPaymentRecord>;
  tokens: Record<string, VippsTokenRecord>;
  /** `${msn} ${method} ${path} ${Idempotency-Key}` → the answer. */
  idempotency: Record<string, VippsIdempotentAnswer>;
  webhooks: Record<string, VippsWebhookRegistration>;
}

/** A fresh, empty book. */
export function emptyVippsState(): VippsState {
  return { payments: {}, tokens: {}, idempotency: {}, webhooks: {} };
}

/** The key of a payment in VippsState.payments: references are unique per sales unit. */
export const paymentKey = (msn: string, reference: string) => `${msn} ${reference}`;

/** An amount on the wire. */
export const amountOf = (rec: { currency: VippsCurrency }, value: number): VippsAmount => ({ currency: rec.currency, value });
