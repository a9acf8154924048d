import Router from '@koa/router';
import { fromLoopback, readJson } from './http';
import { SimError } from './sim-error';
import type { AcquirerCallbackFaults, AcquirerCallbacks } from './acquirer-callbacks';

const wholeMs = (v: unknown): v is number => typeof v === 'number' && Number.isInteger(v) && v >= 0;

/**
 * GET/POST /sim/acquirer/callbacks (POST on loopback only): where the acquirer sends its events
 * (`endpoint: { url, secret } | null`) and how their delivery misbehaves (`delayMs`, `drop`,
 * `duplicate`); GET also shows what was sent. The secret is never shown.
 */
export function acquirerCallbackRoutes(callbacks: AcquirerCallbacks): Router {
  const router = new Router({ prefix: '/sim/acquirer' });
  const view = () => ({ endpoint: callbacks.endpoint ? { url: callbacks.endpoint.url } : null, faults: callbacks.faults, counts: callbacks.counts });

  router.get('/callbacks', (ctx) => {
    ctx.body = view();
  });

  router.post('/callbacks', async (ctx) => {
    if (!fromLoopback(ctx)) throw new SimError(403, 'forbidden', 'callback controls answer only on loopback');
    const body = await readJson(ctx);
    const faults: Partial<AcquirerCallbackFaults> = {};
    if (body.delayMs !== undefined) {
      if (!wholeMs(body.delayMs)) throw new SimError(400, 'bad-request', 'delayMs must be a whole number of milliseconds');
      faults.delayMs = body.delayMs;
    }
    for (const key of ['drop', 'duplicate'] as const) {
      if (body[key] === undefined) continue;
      if (typeof body[key] !== 'boolean') throw new SimError(400, 'bad-request', `${key} must be true or false`);
      faults[key] = body[key];
    }
    const { endpoint } = body;
    if (endpoint !== undefined && endpoint !== null) {
      const e = endpoint as Record<string, unknown>;
      if (typeof endpoint !== 'object' || typeof e.url !== 'string' || !/^https?:\/\//.test(e.url) || typeof e.secret !== 'string' || e.secret.length < 32) {
        throw new SimError(400, 'bad-request', 'endpoint must be null or { url: an http(s) URL, secret: 32 characters or more }');
      }
      callbacks.endpoint = { url: e.url, secret: e.secret };
    } else if (endpoint === null) {
      callbacks.endpoint = null;
    }
    callbacks.faults = { ...callbacks.faults, ...faults };
    ctx.body = view();
  });

  return router;
}
