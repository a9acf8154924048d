/** Stripe's signed webhooks, which nudge the payment's workflow as the acquirer's callbacks do. */
export { STRIPE_EVENT_TYPES, StripeEventMatcher, type EventMatch } from './stripe-event-match';
export { stripeWebhookRouter, STRIPE_WEBHOOK_PATH } from './stripe-webhook-router';
