import Router from '@koa/router';
import type { Context } from 'koa';
import type { Faults } from '../faults';
import { fromLoopback } from '../http';
import type { LedgerStore } from '../ledger-store';
import { SimError } from '../sim-error';
import type { VippsSim } from './vipps-sim';
import { VippsProblemError } from './vipps-problem';
import { decodeCursor, encodeCursor, fundsOf, ledgerOf, REPORT_PAGE_SIZE } from './vipps-report';
import { checkGateway } from './vipps-routes';
import type { VippsPaymentRecord } from './vipps-state';

const HANDLE = /^api:([0-9]{4,6})$/;
const LEDGER = /^[0-9]{4,6}$/;
const DATE = /^\d{4}-\d{2}-\d{2}$/;

/**
 * Vipps MobilePay's Report API on the simulator's port, as the reconciliation reads it: GET
 * /settlement/v1/ledgers (one ledger per MSN) and a ledger's funds as GET
 * /report/v2/ledgers/{ledgerId}/funds/feed and …/dates/{YYYY-MM-DD}, built from the payments'
 * event logs. Same token and Ocp-Apim-Subscription-Key as the ePayment API. On loopback,
 * /sim/vipps/inject/{reference}/… makes the books disagree with what the adapter was told.
 */
export function vippsReportRoutes({ vipps, faults, store }: { vipps: VippsSim; faults: Faults; store: LedgerStore }): Router {
  const router = new Router();

  const report =
    (handler: (ctx: Context) => void) =>
    (ctx: Context): void => {
      try {
        faults.assertUp();
        checkGateway(ctx, vipps);
        vipps.faults.admit({ method: ctx.method, path: ctx.path, limitKey: null, modify: false });
        const injected = vipps.faults.failure(ctx.path);
        if (injected) throw injected;
        handler(ctx);
      } catch (err) {
        const problem =
          err instanceof VippsProblemError
            ? err
            : err instanceof SimError && err.status === 503
              ? new VippsProblemError(503, 'unavailable', 'The simulated Vipps API is down (POST /sim/faults).')
              : new VippsProblemError(500, 'internal', 'An unexpected error occurred in the simulator.');
        ctx.status = problem.status;
        ctx.body = problem.body();
        ctx.type = 'application/problem+json';
      }
    };

  const ledgerParam = (ctx: Context): string => {
    const id = ctx.params.ledgerId ?? '';
    if (!LEDGER.test(id)) throw new VippsProblemError(404, 'not-found', `No ledger ${id}.`);
    return id;
  };
  const topicParam = (ctx: Context): 'funds' | 'fees' => {
    const topic = ctx.params.topic;
    if (topic !== 'funds' && topic !== 'fees') throw new VippsProblemError(400, 'validation', 'topic must be funds or fees.');
    return topic;
  };
  const cursorParam = (ctx: Context): number => {
    const cursor = typeof ctx.query.cursor === 'string' ? ctx.query.cursor : '';
    if (cursor === '') return 0;
    const at = decodeCursor(cursor);
    if (at === null) throw new VippsProblemError(400, 'validation', 'The cursor is not one this API gave.');
    return at;
  };

  router.get(
    '/settlement/v1/ledgers',
    report((ctx) => {
      const filter = typeof ctx.query.settlesForRecipientHandles === 'string' ? ctx.query.settlesForRecipientHandles : null;
      const msns = filter === null ? [...new Set(Object.values(vipps.state.payments).map((p) => p.msn))].sort() : [HANDLE.exec(filter)?.[1]].filter((m): m is string => m !== undefined);
      ctx.body = { items: msns.map((msn) => ledgerOf(msn, vipps.state)), cursor: '' };
    }),
  );

  // The feed: the cursor is always there; at the end, the same cursor again with tryLater.
  router.get(
    '/report/v2/ledgers/:ledgerId/:topic/feed',
    report((ctx) => {
      const ledgerId = ledgerParam(ctx);
      // Fees (capture-fee, fees-retained) are not simulated: the fees account stays empty.
      const all = topicParam(ctx) === 'funds' ? fundsOf(ledgerId, vipps.state) : [];
      const at = Math.min(cursorParam(ctx), all.length);
      const items = all.slice(at, at + REPORT_PAGE_SIZE);
      const end = at + items.length;
      ctx.body = { cursor: encodeCursor(end), tryLater: end >= all.length, items };
    }),
  );

  // A closed ledger date (UTC here) in pages; a date not over yet answers tryLater.
  router.get(
    '/report/v2/ledgers/:ledgerId/:topic/dates/:ledgerDate',
    report((ctx) => {
      const ledgerId = ledgerParam(ctx);
      const date = ctx.params.ledgerDate ?? '';
      if (!DATE.test(date) || Number.isNaN(Date.parse(date))) throw new VippsProblemError(400, 'validation', 'ledgerDate must be YYYY-MM-DD.');
      if (Date.parse(`${date}T00:00:00Z`) + 86_400_000 > Date.now()) {
        ctx.body = { items: [], tryLater: true };
        return;
      }
      const all = topicParam(ctx) === 'funds' ? fundsOf(ledgerId, vipps.state).filter((e) => e.ledgerDate === date) : [];
      const at = Math.min(cursorParam(ctx), all.length);
      const items = all.slice(at, at + REPORT_PAGE_SIZE);
      const hasMore = at + items.length < all.length;
      ctx.body = hasMore ? { cursor: encodeCursor(at + items.length), hasMore, tryLater: false, items } : { hasMore, tryLater: false, items };
    }),
  );

  const find = (ctx: Context): VippsPaymentRecord => {
    const reference = ctx.params.reference ?? '';
    const found = Object.values(vipps.state.payments).filter((p) => p.reference === reference);
    if (found.length !== 1) throw new SimError(404, 'not-found', `Vipps has no single payment ${reference}`);
    return found[0] as VippsPaymentRecord;
  };

  router.post('/sim/vipps/inject/:reference/:what', async (ctx) => {
    if (!fromLoopback(ctx)) throw new SimError(403, 'forbidden', 'Vipps controls answer only on loopback');
    const rec = find(ctx);
    const what: string = ctx.params.what ?? '';
    switch (what) {
      case 'keep-hold': {
        // The cancel answered but never took effect: the reservation stays, as if never cancelled.
        const cancel = [...rec.events].reverse().find((e) => e.name === 'CANCELLED' && e.success);
        if (!cancel) throw new SimError(409, 'refused', `payment ${rec.reference} has no cancelled reservation to keep`);
        cancel.success = false;
        rec.cancelled -= cancel.value;
        break;
      }
      case 'refund-again': {
        // Vipps pays the last refund out a second time, under the same Idempotency-Key.
        const refund = [...rec.events].reverse().find((e) => e.name === 'REFUNDED' && e.success);
        if (!refund) throw new SimError(409, 'refused', `payment ${rec.reference} has no refund to pay again`);
        try {
          vipps.refund(rec, { currency: rec.currency, value: refund.value }, refund.idempotencyKey);
        } catch (err) {
          if (err instanceof VippsProblemError) throw new SimError(409, 'refused', err.detail);
          throw err;
        }
        break;
      }
      default:
        throw new SimError(404, 'not-found', 'injections: keep-hold, refund-again');
    }
    await store.commit();
    ctx.body = { reference: rec.reference, events: rec.events };
  });

  return router;
}
