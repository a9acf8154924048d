import type { VippsAggregate, VippsModificationResponse, VippsPayment, VippsPaymentEvent } from '@payments/contract/wire';
import { amountOf, type VippsPaymentRecord } from './vipps-state';

/** The page behind the QR: "the app" where the customer approves or declines. */
export const landingUrl = (publicUrl: string, rec: VippsPaymentRecord) => `${publicUrl}/vipps/landing?token=${encodeURIComponent(rec.token)}`;

/** What a create answers in redirectUrl: for QR the image's URL, or with TEXT/TARGETURL the page's; PUSH_MESSAGE none. */
export function redirectUrlOf(publicUrl: string, rec: VippsPaymentRecord): string | undefined {
  if (rec.userFlow === 'PUSH_MESSAGE') return undefined;
  if (rec.userFlow !== 'QR' || rec.qrFormat === 'TEXT/TARGETURL') return landingUrl(publicUrl, rec);
  return `${publicUrl}/vipps/qr?token=${encodeURIComponent(rec.token)}`;
}

export function aggregateOf(rec: VippsPaymentRecord): VippsAggregate {
  return {
    authorizedAmount: amountOf(rec, rec.authorized),
    cancelledAmount: amountOf(rec, rec.cancelled),
    capturedAmount: amountOf(rec, rec.captured),
    refundedAmount: amountOf(rec, rec.refunded),
  };
}

/** GET /epayment/v1/payments/{reference}. */
export function paymentView(rec: VippsPaymentRecord, publicUrl: string): VippsPayment {
  const view: VippsPayment = {
    aggregate: aggregateOf(rec),
    amount: amountOf(rec, rec.value),
    state: rec.state,
    paymentMethod: { type: 'WALLET' },
    profile: {},
    pspReference: rec.pspReference,
    reference: rec.reference,
    metadata: rec.metadata,
  };
  const redirectUrl = redirectUrlOf(publicUrl, rec);
  if (redirectUrl !== undefined) view.redirectUrl = redirectUrl;
  return view;
}

/** The answer to cancel, capture and refund. */
export function modificationView(rec: VippsPaymentRecord): VippsModificationResponse {
  return { amount: amountOf(rec, rec.value), state: rec.state, aggregate: aggregateOf(rec), pspReference: rec.pspReference, reference: rec.reference };
}

/** GET …/events: the log, oldest first. */
export function eventsView(rec: VippsPaymentRecord): VippsPaymentEvent[] {
  return rec.events.map((e) => ({
    reference: rec.reference,
    pspReference: rec.pspReference,
    name: e.name,
    amount: amountOf(rec, e.value),
    timestamp: e.timestamp,
    idempotencyKey: e.idempotencyKey,
    success: e.success,
  }));
}

/** One payment as /sim/vipps/payments lists it for reconciliation: the wire view plus who and when. */
export function recordView(rec: VippsPaymentRecord) {
  return {
    msn: rec.msn,
    reference: rec.reference,
    pspReference: rec.pspReference,
    state: rec.state,
    amount: amountOf(rec, rec.value),
    aggregate: aggregateOf(rec),
    userFlow: rec.userFlow,
    createdAt: new Date(rec.createdAt).toISOString(),
    expiresAt: new Date(rec.expiresAt).toISOString(),
    events: rec.events.map((e) => ({ name: e.name, value: e.value, timestamp: e.timestamp, idempotencyKey: e.idempotencyKey })),
  };
}
