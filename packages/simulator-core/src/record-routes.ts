import Router from '@koa/router';
import type { Context } from 'koa';
import type { Faults } from './faults';
import type { LedgerStore } from './ledger-store';
import { SimError } from './sim-error';
import type { LedgerPayment } from './state';

/** The most records one page answers. */
export const MAX_RECORD_PAGE = 1000;

/** One payment as the acquirer's settlement listing shows it: the money moved, no events. */
export function recordView(rec: LedgerPayment) {
  const held = rec.status === 'approved' && !rec.confirmed && rec.reversal !== 'done' ? Math.max(0, rec.authorizedMinor - rec.voidedMinor) : 0;
  return {
    id: rec.id,
    reference: rec.reference,
    merchant: rec.merchant,
    kind: rec.kind,
    method: rec.method,
    currencycode: rec.currencycode,
    amountMinor: rec.amountMinor,
    originalReference: rec.originalReference,
    status: rec.status,
    createdAt: rec.createdAt,
    heldMinor: held,
    capturedMinor: rec.capturedMinor,
    refundedMinor: rec.refundedMinor,
    reversedMinor: rec.reversedMinor,
    voidedMinor: rec.voidedMinor,
  };
}

const instant = (ctx: Context, name: string): string => {
  const v = ctx.query[name];
  if (typeof v !== 'string' || Number.isNaN(Date.parse(v))) throw new SimError(400, 'bad-request', `${name} must be an ISO 8601 instant`);
  return new Date(Date.parse(v)).toISOString();
};

/**
 * GET /acquirer/v1/records?merchant&from&to&after&limit: the acquirer's books for a period, in
 * pages ordered by creation then id; `next` is the cursor of the following page (null: the last).
 */
export function recordRoutes({ store, faults }: { store: LedgerStore; faults: Faults }): Router {
  const router = new Router({ prefix: '/acquirer/v1' });
  router.get('/records', (ctx) => {
    faults.assertUp();
    const from = instant(ctx, 'from');
    const to = instant(ctx, 'to');
    const merchant = typeof ctx.query.merchant === 'string' ? ctx.query.merchant : null;
    const after = typeof ctx.query.after === 'string' ? ctx.query.after : '';
    const limit = ctx.query.limit === undefined ? 100 : Number(ctx.query.limit);
    if (!Number.isInteger(limit) || limit < 1 || limit > MAX_RECORD_PAGE) throw new SimError(400, 'bad-request', `limit must be a whole number from 1 to ${MAX_RECORD_PAGE}`);
    const key = (r: LedgerPayment) => `${r.createdAt}|${r.id}`;
    const all = Object.values(store.state.payments)
      .filter((r) => r.createdAt >= from && r.createdAt < to && (merchant === null || r.merchant === merchant) && key(r) > after)
      .sort((a, b) => (key(a) < key(b) ? -1 : 1));
    const page = all.slice(0, limit);
    const last = page[page.length - 1];
    ctx.body = { records: page.map(recordView), next: all.length > limit && last ? key(last) : null };
  });
  return router;
}
