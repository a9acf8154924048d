/** Stripe's and Vipps MobilePay's signed webhooks, which nudge the payment's workflow as the acquirer's callbacks do. */
export { STRIPE_EVENT_TYPES, StripeEventMatcher, type EventMatch } from './stripe-event-match';
export { stripeWebhookRouter, STRIPE_WEBHOOK_PATH } from './stripe-webhook-router';
export { vippsWebhookRouter, VIPPS_WEBHOOK_PATH } from './vipps-webhook-router';
export { verifyVippsSignature, VIPPS_SIGNATURE_TOLERANCE_MS } from './vipps-signature';
