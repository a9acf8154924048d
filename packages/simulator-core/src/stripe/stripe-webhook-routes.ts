import Router from '@koa/router';
import { addDeliveryRoutes } from '../event-delivery-routes';
import type { StripeWebhooks } from './stripe-webhooks';

/**
 * GET/POST /sim/stripe/webhooks (POST on loopback only): where the simulated Stripe sends its
 * events (`endpoint: { url, secret } | null`) and how its delivery misbehaves (`delayMs`,
 * `drop`, `duplicate`, `reorder`, `reorderWindowMs`); GET also shows what was sent. The secret
 * is never shown.
 */
export function stripeWebhookRoutes(webhooks: StripeWebhooks): Router {
  return addDeliveryRoutes(new Router({ prefix: '/sim/stripe' }), webhooks, {
    path: '/webhooks',
    reorder: true,
    loopbackOnly: 'webhook controls answer only on loopback',
    secret: { valid: (s) => s.startsWith('whsec_'), rule: '"whsec_…"' },
  });
}
