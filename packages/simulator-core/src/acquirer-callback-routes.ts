import Router from '@koa/router';
import type { AcquirerCallbacks } from './acquirer-callbacks';
import { addDeliveryRoutes } from './event-delivery-routes';

/**
 * GET/POST /sim/acquirer/callbacks (POST on loopback only): where the acquirer sends its events
 * (`endpoint: { url, secret } | null`) and how their delivery misbehaves (`delayMs`, `drop`,
 * `duplicate`); GET also shows what was sent. The secret is never shown.
 */
export function acquirerCallbackRoutes(callbacks: AcquirerCallbacks): Router {
  return addDeliveryRoutes(new Router({ prefix: '/sim/acquirer' }), callbacks, {
    path: '/callbacks',
    reorder: false,
    loopbackOnly: 'callback controls answer only on loopback',
    secret: { valid: (s) => s.length >= 32, rule: '32 characters or more' },
  });
}
