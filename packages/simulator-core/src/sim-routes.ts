import Router from '@koa/router';
import type { Faults } from './faults';
import { fromLoopback, readJson } from './http';
import type { LedgerStore } from './ledger-store';
import { SimError } from './sim-error';
import { ledgerEntry } from './views';

export interface SimRoutesDeps {
  store: LedgerStore;
  faults: Faults;
  /** Ledger entries kept elsewhere (the Stripe-wire simulator's), by reference. */
  moreLedger?: () => Record<string, Record<string, unknown>>;
}

/** /healthz, the ledger of money moved, and the fault switch for tests. */
export function simRoutes({ store, faults, moreLedger = () => ({}) }: SimRoutesDeps): Router {
  const router = new Router();

  router.get('/healthz', (ctx) => {
    ctx.body = { ok: true };
  });

  router.get('/sim/ledger', (ctx) => {
    const payments = { ...moreLedger(), ...Object.fromEntries(Object.values(store.state.payments).map((p) => [p.reference, ledgerEntry(p)])) };
    ctx.body = { payments };
  });

  router.get('/sim/ledger/:reference', (ctx) => {
    const reference = ctx.params.reference ?? '';
    const rec = store.state.payments[reference];
    const elsewhere = rec ? undefined : moreLedger()[reference];
    if (!rec && !elsewhere) throw new SimError(404, 'not-found', 'the acquirer has not seen this reference');
    ctx.body = rec ? ledgerEntry(rec) : elsewhere;
  });

  router.get('/sim/faults', (ctx) => {
    ctx.body = { down: faults.isDown };
  });

  router.post('/sim/faults', async (ctx) => {
    if (!fromLoopback(ctx)) throw new SimError(403, 'forbidden', 'fault controls answer only on loopback');
    const body = await readJson(ctx);
    if (typeof body.down !== 'boolean') throw new SimError(400, 'bad-request', 'down must be true or false');
    const forMs = body.forMs;
    if (forMs !== undefined && (typeof forMs !== 'number' || !Number.isInteger(forMs) || forMs <= 0)) {
      throw new SimError(400, 'bad-request', 'forMs must be a positive whole number');
    }
    faults.setDown(body.down, forMs);
    ctx.body = { down: faults.isDown };
  });

  return router;
}
