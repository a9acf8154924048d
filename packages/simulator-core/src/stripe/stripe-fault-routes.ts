import Router from '@koa/router';
import { fromLoopback, readJson } from '../http';
import { SimError } from '../sim-error';
import type { StripeFaults } from './stripe-faults';

const wholeMs = (v: unknown): v is number => typeof v === 'number' && Number.isInteger(v) && v >= 0;

/**
 * GET/POST /sim/stripe/faults, loopback only: `{ searchLagMs?, hold?: { path, ms } | null,
 * rateLimit?: { perSecond?, shouldRetry? } | null }`. A search lag keeps new intents out of
 * search results; a hold makes the calls whose path ends with `path` execute at once but answer
 * only after `ms` (null: answer the held ones now); rateLimit lowers the per-account limit
 * (Stripe's sandbox 25 a second by default; null restores it) or makes its 429s carry
 * `Stripe-Should-Retry: false`. GET /sim/stripe/usage: each account's reads, writes and 429s.
 */
export function stripeFaultRoutes(faults: StripeFaults): Router {
  const router = new Router({ prefix: '/sim/stripe' });
  const view = () => ({ searchLagMs: faults.searchLagMs, hold: faults.currentHold, rateLimit: faults.rateLimit.current });

  router.get('/usage', (ctx) => {
    ctx.body = { accounts: faults.rateLimit.report() };
  });

  router.get('/faults', (ctx) => {
    ctx.body = view();
  });

  router.post('/faults', async (ctx) => {
    if (!fromLoopback(ctx)) throw new SimError(403, 'forbidden', 'fault controls answer only on loopback');
    const body = await readJson(ctx);
    const { searchLagMs, hold, rateLimit } = body;
    if (searchLagMs !== undefined && !wholeMs(searchLagMs)) throw new SimError(400, 'bad-request', 'searchLagMs must be a whole number of milliseconds');
    if (hold !== undefined && hold !== null) {
      const h = hold as Record<string, unknown>;
      if (typeof hold !== 'object' || typeof h.path !== 'string' || h.path === '' || !wholeMs(h.ms) || h.ms === 0) {
        throw new SimError(400, 'bad-request', 'hold must be null or { path: a non-empty string, ms: a positive whole number }');
      }
    }
    if (rateLimit !== undefined && rateLimit !== null) {
      const r = rateLimit as Record<string, unknown>;
      const perSecondOk = r.perSecond === undefined || (wholeMs(r.perSecond) && r.perSecond > 0);
      if (typeof rateLimit !== 'object' || !perSecondOk || (r.shouldRetry !== undefined && typeof r.shouldRetry !== 'boolean')) {
        throw new SimError(400, 'bad-request', 'rateLimit must be null or { perSecond?: a positive whole number, shouldRetry?: boolean }');
      }
    }
    if (searchLagMs !== undefined) faults.searchLagMs = searchLagMs;
    if (rateLimit !== undefined) faults.rateLimit.set(rateLimit as { perSecond?: number; shouldRetry?: boolean } | null);
    if (hold !== undefined) faults.setHold(hold as { path: string; ms: number } | null);
    ctx.body = view();
  });

  return router;
}
