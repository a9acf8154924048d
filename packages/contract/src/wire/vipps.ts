import { Type, type Static } from 'typebox';

// The wire of Vipps MobilePay's ePayment API v1, its access-token endpoint and its webhooks, as
// far as this service uses them: one TypeBox schema per body, read by the Vipps adapter and
// checked by the simulator. Written from the API's public OpenAPI description (ePayment 1.4);
// responses are open objects, so a field Vipps adds later does not break a read.

/** The currencies a Vipps MobilePay sales unit can be set up in (one per sales unit). */
export const VippsCurrency = Type.Enum(['NOK', 'DKK', 'EUR']);
export type VippsCurrency = Static<typeof VippsCurrency>;

/** An amount in minor units and its currency. */
export const VippsAmount = Type.Object({
  currency: VippsCurrency,
  value: Type.Integer({ minimum: 0, maximum: 65_000_000 }),
});
export type VippsAmount = Static<typeof VippsAmount>;

/** Our reference for a payment (and for a capture or refund step): 8-50 of [a-zA-Z0-9-]. */
export const VippsReference = Type.String({ pattern: '^[a-zA-Z0-9-]{8,50}$', minLength: 8, maxLength: 50 });
export type VippsReference = Static<typeof VippsReference>;

/** The merchant serial number of one sales unit. */
export const VippsMsn = Type.String({ pattern: '^[0-9]{4,6}$' });
export type VippsMsn = Static<typeof VippsMsn>;

/**
 * Where a payment stands. AUTHORIZED is final and stays after capture and refund: how much was
 * captured or refunded is read from the aggregate, never from the state.
 */
export const VippsState = Type.Enum(['CREATED', 'ABORTED', 'EXPIRED', 'AUTHORIZED', 'TERMINATED']);
export type VippsState = Static<typeof VippsState>;

/** The name of one event in a payment's log (and of a webhook). */
export const VippsEventName = Type.Enum([
  'CREATED',
  'ABORTED',
  'EXPIRED',
  'CANCELLED',
  'CAPTURED',
  'REFUNDED',
  'AUTHORIZED',
  'TERMINATED',
]);
export type VippsEventName = Static<typeof VippsEventName>;

/** How the customer reaches the approval screen; a register shows a one-time QR code. */
export const VippsUserFlow = Type.Enum(['PUSH_MESSAGE', 'NATIVE_REDIRECT', 'WEB_REDIRECT', 'QR']);
export type VippsUserFlow = Static<typeof VippsUserFlow>;

/** The QR code's form: an image URL (SVG or PNG), or the bare target URL to render ourselves. */
export const VippsQrFormat = Type.Object({
  format: Type.Enum(['TEXT/TARGETURL', 'IMAGE/SVG+XML', 'IMAGE/PNG']),
  size: Type.Optional(Type.Union([Type.Integer({ minimum: 100, maximum: 2000 }), Type.Null()])),
});
export type VippsQrFormat = Static<typeof VippsQrFormat>;

/** POST /epayment/v1/payments: what we ask the customer to approve. */
export const VippsCreatePaymentRequest = Type.Object({
  amount: VippsAmount,
  reference: VippsReference,
  paymentMethod: Type.Object({ type: Type.Enum(['WALLET', 'CARD']) }),
  userFlow: VippsUserFlow,
  customerInteraction: Type.Optional(Type.Enum(['CUSTOMER_PRESENT', 'CUSTOMER_NOT_PRESENT'])),
  qrFormat: Type.Optional(VippsQrFormat),
  /** Shown in the app and in the settlement files. */
  paymentDescription: Type.Optional(Type.String({ minLength: 3, maxLength: 100 })),
  returnUrl: Type.Optional(Type.String()),
  /** RFC 3339; only with QR or PUSH_MESSAGE, more than 10 minutes ahead. */
  expiresAt: Type.Optional(Type.String()),
  metadata: Type.Optional(Type.Record(Type.String(), Type.String())),
});
export type VippsCreatePaymentRequest = Static<typeof VippsCreatePaymentRequest>;

/** 201 to a create: with userFlow QR, redirectUrl is the QR image's URL (or its target URL). */
export const VippsCreatePaymentResponse = Type.Object(
  {
    reference: VippsReference,
    redirectUrl: Type.Optional(Type.String()),
  },
  { additionalProperties: true },
);
export type VippsCreatePaymentResponse = Static<typeof VippsCreatePaymentResponse>;

/** The running totals of one payment: the money facts, since the state stops at AUTHORIZED. */
export const VippsAggregate = Type.Object({
  authorizedAmount: VippsAmount,
  cancelledAmount: VippsAmount,
  capturedAmount: VippsAmount,
  refundedAmount: VippsAmount,
});
export type VippsAggregate = Static<typeof VippsAggregate>;

/** GET /epayment/v1/payments/{reference}. */
export const VippsPayment = Type.Object(
  {
    reference: VippsReference,
    pspReference: Type.String(),
    state: VippsState,
    amount: VippsAmount,
    aggregate: VippsAggregate,
    paymentMethod: Type.Optional(Type.Object({ type: Type.String() }, { additionalProperties: true })),
    profile: Type.Optional(Type.Object({}, { additionalProperties: true })),
    redirectUrl: Type.Optional(Type.String()),
    metadata: Type.Optional(Type.Union([Type.Record(Type.String(), Type.String()), Type.Null()])),
  },
  { additionalProperties: true },
);
export type VippsPayment = Static<typeof VippsPayment>;

/** POST …/capture and …/refund: how much to move (in the payment's currency). */
export const VippsModificationRequest = Type.Object({ modificationAmount: VippsAmount });
export type VippsModificationRequest = Static<typeof VippsModificationRequest>;

/** 200 to cancel, capture and refund: the payment after the step. */
export const VippsModificationResponse = Type.Object(
  {
    reference: VippsReference,
    pspReference: Type.String(),
    state: VippsState,
    amount: VippsAmount,
    aggregate: VippsAggregate,
  },
  { additionalProperties: true },
);
export type VippsModificationResponse = Static<typeof VippsModificationResponse>;

/** One entry of GET …/events (the answer is an array, oldest first). */
export const VippsPaymentEvent = Type.Object(
  {
    reference: VippsReference,
    pspReference: Type.String(),
    name: VippsEventName,
    amount: VippsAmount,
    timestamp: Type.String(),
    idempotencyKey: Type.Optional(Type.Union([Type.String(), Type.Null()])),
    success: Type.Boolean(),
  },
  { additionalProperties: true },
);
export type VippsPaymentEvent = Static<typeof VippsPaymentEvent>;

export const VippsPaymentEvents = Type.Array(VippsPaymentEvent);
export type VippsPaymentEvents = Static<typeof VippsPaymentEvents>;

/** Any non-2xx answer of the ePayment API: an RFC 7807 problem. */
export const VippsProblem = Type.Object(
  {
    type: Type.String(),
    title: Type.String(),
    status: Type.Integer(),
    detail: Type.Optional(Type.String()),
    traceId: Type.Optional(Type.String()),
    extraDetails: Type.Optional(Type.Unknown()),
  },
  { additionalProperties: true },
);
export type VippsProblem = Static<typeof VippsProblem>;

/** Seconds, as Vipps sends them: digits in a string (a number is taken too). */
const Seconds = Type.Union([Type.String({ pattern: '^[0-9]+$' }), Type.Integer({ minimum: 0 })]);

/**
 * 200 to POST /accesstoken/get (headers client_id, client_secret, Ocp-Apim-Subscription-Key,
 * Merchant-Serial-Number). The times are seconds, sent as strings.
 */
export const VippsAccessToken = Type.Object(
  {
    token_type: Type.String(),
    access_token: Type.String(),
    expires_in: Seconds,
    expires_on: Type.Optional(Type.String()),
    not_before: Type.Optional(Type.String()),
    ext_expires_in: Type.Optional(Type.String()),
    resource: Type.Optional(Type.String()),
  },
  { additionalProperties: true },
);
export type VippsAccessToken = Static<typeof VippsAccessToken>;

/** The webhook event types of the ePayment API: `epayments.payment.<name>.v1`. */
export const VippsWebhookEventType = Type.Enum([
  'epayments.payment.created.v1',
  'epayments.payment.aborted.v1',
  'epayments.payment.expired.v1',
  'epayments.payment.cancelled.v1',
  'epayments.payment.captured.v1',
  'epayments.payment.refunded.v1',
  'epayments.payment.authorized.v1',
  'epayments.payment.terminated.v1',
]);
export type VippsWebhookEventType = Static<typeof VippsWebhookEventType>;

/**
 * The body of an ePayment webhook: the entry of the payment's event log, with the sales unit's
 * MSN. It is signed: headers x-ms-date, x-ms-content-sha256 (base64 SHA-256 of the body) and
 * Authorization `HMAC-SHA256 SignedHeaders=x-ms-date;host;x-ms-content-sha256&Signature=
 * <base64 HMAC-SHA256(secret, "POST\n<path+query>\n<date>;<host>;<content hash>")>`.
 */
export const VippsWebhookEvent = Type.Object({ msn: VippsMsn, ...VippsPaymentEvent.properties }, { additionalProperties: true });
export type VippsWebhookEvent = Static<typeof VippsWebhookEvent>;

/** POST /webhooks/v1/webhooks: register a URL for some event types of one sales unit. */
export const VippsRegisterWebhookRequest = Type.Object({
  url: Type.String(),
  events: Type.Array(VippsWebhookEventType, { minItems: 1 }),
});
export type VippsRegisterWebhookRequest = Static<typeof VippsRegisterWebhookRequest>;

/** 201 to a webhook registration: the secret signs every delivery to that URL. */
export const VippsRegisterWebhookResponse = Type.Object(
  { id: Type.String(), secret: Type.String() },
  { additionalProperties: true },
);
export type VippsRegisterWebhookResponse = Static<typeof VippsRegisterWebhookResponse>;
