import Router from '@koa/router';
import type { Context } from 'koa';
import { addDeliveryRoutes } from '../event-delivery-routes';
import { fromLoopback, readJson } from '../http';
import type { LedgerStore } from '../ledger-store';
import { SimError } from '../sim-error';
import type { VippsSim } from './vipps-sim';
import { VippsProblemError } from './vipps-problem';
import type { VippsPaymentRecord } from './vipps-state';
import type { VippsWebhooks } from './vipps-webhooks';
import { recordView } from './vipps-views';

const wholeMs = (v: unknown): v is number => typeof v === 'number' && Number.isInteger(v) && v >= 0;
const positive = (v: unknown): v is number => wholeMs(v) && v > 0;

function loopbackOnly(ctx: Context): void {
  if (!fromLoopback(ctx)) throw new SimError(403, 'forbidden', 'Vipps controls answer only on loopback');
}

/**
 * /sim/vipps: what tests and reconciliation read and set. GET payments (each with its aggregate),
 * usage and faults; on loopback, answering a payment in "the app" (approve, decline, expire),
 * moves behind the adapter's back (capture, refund, cancel, as from the merchant portal), the
 * API's faults and the webhooks' endpoint and faults.
 */
export function vippsSimRoutes({ vipps, webhooks, store }: { vipps: VippsSim; webhooks: VippsWebhooks; store: LedgerStore }): Router {
  const router = new Router({ prefix: '/sim/vipps' });

  /** The payment with this reference; ?msn= picks one when several sales units used the reference. */
  const find = (ctx: Context): VippsPaymentRecord => {
    const reference = ctx.params.reference ?? '';
    const msn = typeof ctx.query.msn === 'string' ? ctx.query.msn : null;
    const found = Object.values(vipps.state.payments).filter((p) => p.reference === reference && (msn === null || p.msn === msn));
    if (found.length === 0) throw new SimError(404, 'not-found', `Vipps has no payment ${reference}`);
    if (found.length > 1) throw new SimError(409, 'ambiguous', `several sales units have a payment ${reference}: add ?msn=`);
    return found[0] as VippsPaymentRecord;
  };
  /** A change through the simulator's own methods; a refusal of Vipps's becomes a 409 naming it. */
  const move = async (fn: () => unknown) => {
    try {
      fn();
    } catch (err) {
      if (err instanceof VippsProblemError) throw new SimError(409, 'refused', err.detail);
      throw err;
    } finally {
      await store.commit();
    }
  };

  router.get('/payments', (ctx) => {
    const msn = typeof ctx.query.msn === 'string' ? ctx.query.msn : null;
    const payments = Object.values(vipps.state.payments)
      .filter((p) => msn === null || p.msn === msn)
      .sort((a, b) => a.createdAt - b.createdAt)
      .map(recordView);
    ctx.body = { payments };
  });

  router.get('/payments/:reference', (ctx) => {
    ctx.body = recordView(find(ctx));
  });

  router.post('/payments/:reference/:action', async (ctx) => {
    loopbackOnly(ctx);
    const rec = find(ctx);
    const body = await readJson(ctx);
    const value = body.value === undefined ? undefined : body.value;
    if (value !== undefined && !positive(value)) throw new SimError(400, 'bad-request', 'value must be a positive whole number of minor units');
    const amount = (fallback: number) => ({ currency: rec.currency, value: value ?? fallback });
    const action: string = ctx.params.action ?? '';
    switch (action) {
      case 'approve':
      case 'decline': {
        const answer = action;
        if (!vipps.answer(rec, answer, 'sim-control')) throw new SimError(409, 'refused', `the payment is ${rec.state}, not waiting for the customer`);
        await store.commit();
        break;
      }
      case 'expire':
        if (!vipps.expire(rec)) throw new SimError(409, 'refused', `the payment is ${rec.state}, not waiting for the customer`);
        await store.commit();
        break;
      case 'capture':
        await move(() => vipps.capture(rec, amount(rec.authorized - rec.captured - rec.cancelled), null));
        break;
      case 'refund':
        await move(() => vipps.refund(rec, amount(rec.captured - rec.refunded), null));
        break;
      case 'cancel':
        await move(() => vipps.cancel(rec, null));
        break;
      default:
        throw new SimError(404, 'not-found', 'actions: approve, decline, expire, capture, refund, cancel');
    }
    ctx.body = recordView(rec);
  });

  router.get('/usage', (ctx) => {
    ctx.body = { endpoints: vipps.faults.usage, tokensIssued: vipps.faults.tokensIssued };
  });

  const faultsView = () => {
    const f = vipps.faults;
    return {
      rateLimit: f.rateLimit,
      customer: f.customer,
      expireAfterMs: f.expireAfterMs,
      tokenTtlMs: f.tokenTtlMs,
      rejectCredentials: f.rejectCredentials,
      fail: f.fail,
      hold: f.currentHold,
    };
  };

  router.get('/faults', (ctx) => {
    ctx.body = faultsView();
  });

  router.post('/faults', async (ctx) => {
    loopbackOnly(ctx);
    const body = await readJson(ctx);
    const f = vipps.faults;
    const { rateLimit, customer, expireAfterMs, tokenTtlMs, rejectCredentials, revokeTokens, fail, hold } = body;
    if (rateLimit !== undefined && rateLimit !== null) {
      const r = rateLimit as Record<string, unknown>;
      if (typeof rateLimit !== 'object' || (r.modifyPerMinute !== undefined && !positive(r.modifyPerMinute)) || (r.readPerMinute !== undefined && !positive(r.readPerMinute))) {
        throw new SimError(400, 'bad-request', 'rateLimit must be null or { modifyPerMinute?, readPerMinute? } (positive whole numbers)');
      }
    }
    if (customer !== undefined && customer !== 'auto' && customer !== 'manual') throw new SimError(400, 'bad-request', 'customer must be "auto" or "manual"');
    if (expireAfterMs !== undefined && !positive(expireAfterMs)) throw new SimError(400, 'bad-request', 'expireAfterMs must be a positive whole number');
    if (tokenTtlMs !== undefined && !positive(tokenTtlMs)) throw new SimError(400, 'bad-request', 'tokenTtlMs must be a positive whole number');
    for (const [name, v] of [['rejectCredentials', rejectCredentials], ['revokeTokens', revokeTokens]] as const) {
      if (v !== undefined && typeof v !== 'boolean') throw new SimError(400, 'bad-request', `${name} must be true or false`);
    }
    if (fail !== undefined && fail !== null) {
      const r = fail as Record<string, unknown>;
      if (typeof fail !== 'object' || typeof r.path !== 'string' || r.path === '' || !Number.isInteger(r.status) || (r.status as number) < 400 || (r.status as number) > 599 || (r.count !== undefined && !positive(r.count))) {
        throw new SimError(400, 'bad-request', 'fail must be null or { path: a non-empty string, status: 400-599, count?: a positive whole number }');
      }
    }
    if (hold !== undefined && hold !== null) {
      const h = hold as Record<string, unknown>;
      if (typeof hold !== 'object' || typeof h.path !== 'string' || h.path === '' || !positive(h.ms)) {
        throw new SimError(400, 'bad-request', 'hold must be null or { path: a non-empty string, ms: a positive whole number }');
      }
    }
    if (rateLimit !== undefined) f.setRateLimit(rateLimit as { modifyPerMinute?: number; readPerMinute?: number } | null);
    if (customer !== undefined) f.customer = customer;
    if (expireAfterMs !== undefined) f.expireAfterMs = expireAfterMs;
    if (tokenTtlMs !== undefined) f.tokenTtlMs = tokenTtlMs;
    if (rejectCredentials !== undefined) f.rejectCredentials = rejectCredentials as boolean;
    if (revokeTokens === true) {
      vipps.revokeTokens();
      await store.commit();
    }
    if (fail !== undefined) {
      const r = fail as { path: string; status: number; count?: number } | null;
      f.fail = r ? { path: r.path, status: r.status, count: r.count ?? 1 } : null;
    }
    if (hold !== undefined) f.setHold(hold as { path: string; ms: number } | null);
    ctx.body = faultsView();
  });

  addDeliveryRoutes(router, webhooks, {
    path: '/webhooks',
    reorder: true,
    loopbackOnly: 'Vipps controls answer only on loopback',
    secret: { valid: (s) => s.length >= 16, rule: 'at least 16 characters' },
  });

  return router;
}
