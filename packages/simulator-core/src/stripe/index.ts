export { StripeSim } from './stripe-sim';
export { stripeRoutes } from './stripe-routes';
export { stripeFaultRoutes } from './stripe-fault-routes';
export { intentObject, stripeLedgerEntries } from './stripe-objects';
export { StripeWebhooks, stripeSignature, type StripeWebhookEndpoint, type StripeWebhookFaults } from './stripe-webhooks';
export { stripeWebhookRoutes } from './stripe-webhook-routes';
export { stripeSwishRoutes, renderSwishPage } from './stripe-swish-routes';
export { DEFAULT_SWISH_CUSTOMER, SWISH_RULES, type SwishCustomer } from './stripe-swish';
