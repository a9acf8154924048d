import Router from '@koa/router';
import { fromLoopback, readJson } from '../http';
import { SimError } from '../sim-error';
import type { StripeWebhookFaults, StripeWebhooks } from './stripe-webhooks';

const wholeMs = (v: unknown): v is number => typeof v === 'number' && Number.isInteger(v) && v >= 0;
const FLAGS = ['drop', 'duplicate', 'reorder'] as const;

/**
 * GET/POST /sim/stripe/webhooks (POST on loopback only): where the simulated Stripe sends its
 * events (`endpoint: { url, secret } | null`) and how its delivery misbehaves (`delayMs`,
 * `drop`, `duplicate`, `reorder`, `reorderWindowMs`); GET also shows what was sent. The secret
 * is never shown.
 */
export function stripeWebhookRoutes(webhooks: StripeWebhooks): Router {
  const router = new Router({ prefix: '/sim/stripe' });
  const view = () => ({ endpoint: webhooks.endpoint ? { url: webhooks.endpoint.url } : null, faults: webhooks.faults, counts: webhooks.counts });

  router.get('/webhooks', (ctx) => {
    ctx.body = view();
  });

  router.post('/webhooks', async (ctx) => {
    if (!fromLoopback(ctx)) throw new SimError(403, 'forbidden', 'webhook controls answer only on loopback');
    const body = await readJson(ctx);
    const faults: Partial<StripeWebhookFaults> = {};
    for (const key of ['delayMs', 'reorderWindowMs'] as const) {
      if (body[key] === undefined) continue;
      if (!wholeMs(body[key])) throw new SimError(400, 'bad-request', `${key} must be a whole number of milliseconds`);
      faults[key] = body[key];
    }
    for (const key of FLAGS) {
      if (body[key] === undefined) continue;
      if (typeof body[key] !== 'boolean') throw new SimError(400, 'bad-request', `${key} must be true or false`);
      faults[key] = body[key];
    }
    const { endpoint } = body;
    if (endpoint !== undefined && endpoint !== null) {
      const e = endpoint as Record<string, unknown>;
      if (typeof endpoint !== 'object' || typeof e.url !== 'string' || !/^https?:\/\//.test(e.url) || typeof e.secret !== 'string' || !e.secret.startsWith('whsec_')) {
        throw new SimError(400, 'bad-request', 'endpoint must be null or { url: an http(s) URL, secret: "whsec_…" }');
      }
      webhooks.endpoint = { url: e.url, secret: e.secret };
    } else if (endpoint === null) {
      webhooks.endpoint = null;
    }
    webhooks.faults = { ...webhooks.faults, ...faults };
    ctx.body = view();
  });

  return router;
}
