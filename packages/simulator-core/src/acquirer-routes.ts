import Router from '@koa/router';
import type { Context } from 'koa';
import { Compile } from 'typebox/compile';
import { CreatePaymentBody } from '@payments/contract/wire';
import type { Faults } from './faults';
import { idempotencyKey, readBody, waitMs } from './http';
import type { LedgerStore } from './ledger-store';
import type { SimAcquirer } from './sim-acquirer';
import { SimError } from './sim-error';
import type { LedgerPayment } from './state';
import { paymentView } from './views';

export interface AcquirerRoutesDeps {
  acquirer: SimAcquirer;
  faults: Faults;
  store: LedgerStore;
  publicUrl: (ctx: Context) => string;
}

const checkCreate = Compile(CreatePaymentBody);

/** /acquirer/v1: payments created, long-polled, cancelled, reversed and confirmed. */
export function acquirerRoutes({ acquirer, faults, store, publicUrl }: AcquirerRoutesDeps): Router {
  const router = new Router({ prefix: '/acquirer/v1' });
  const view = (ctx: Context, rec: LedgerPayment) => paymentView(rec, publicUrl(ctx));

  /** Runs a change, then writes the ledger before answering, even when the change refuses. */
  const change = async (fn: () => void) => {
    try {
      fn();
    } finally {
      await store.commit();
    }
  };

  /** The payment a call is about, once known: a .55 payment's answers then take slowCallMs. */
  const about = (ctx: Context, rec: { amountMinor: number }) => {
    ctx.state.amountMinor = rec.amountMinor;
  };

  const alreadyApproved = (ctx: Context, rec: LedgerPayment) =>
    new SimError(409, 'already-approved', 'the payment was approved: money moved, reverse it instead', view(ctx, rec));

  router.use(async (ctx, next) => {
    faults.assertUp();
    try {
      await next();
    } finally {
      // The answer (as it stood when the call was handled) arrives late, refusals included.
      await faults.slow(ctx.state.amountMinor as number | undefined);
    }
  });

  router.post('/payments', async (ctx) => {
    const key = idempotencyKey(ctx);
    const req = await readBody(ctx, checkCreate);
    faults.gate('create', req.reference, req.amountMinor);
    about(ctx, req);
    const { record, created } = acquirer.create(req, key);
    await store.commit();
    ctx.status = created ? 201 : 200;
    ctx.body = view(ctx, record);
  });

  router.get('/payments/:id', async (ctx) => {
    const rec = acquirer.get(ctx.params.id ?? '');
    const wait = waitMs(ctx);
    faults.gate('get', rec.reference, rec.amountMinor);
    about(ctx, rec);
    await acquirer.waitWhilePending(rec, wait);
    ctx.body = view(ctx, rec);
  });

  router.post('/payments/:id/cancel', async (ctx) => {
    idempotencyKey(ctx);
    const rec = acquirer.get(ctx.params.id ?? '');
    faults.gate('cancel', rec.reference, rec.amountMinor);
    about(ctx, rec);
    await change(() => {
      if (rec.status === 'approved') throw alreadyApproved(ctx, rec);
      acquirer.cancel(rec);
    });
    ctx.body = view(ctx, rec);
  });

  router.post('/references/:reference/cancel', async (ctx) => {
    idempotencyKey(ctx);
    const reference = ctx.params.reference ?? '';
    const rec = acquirer.byReference(reference);
    faults.gate('cancel', rec?.reference, rec?.amountMinor);
    if (rec) {
      about(ctx, rec);
      await change(() => {
        if (rec.status === 'approved') throw alreadyApproved(ctx, rec);
        acquirer.cancel(rec);
      });
      ctx.body = view(ctx, rec);
      return;
    }
    acquirer.cancelReference(reference);
    await store.commit();
    throw new SimError(404, 'not-found', `no payment with reference ${reference}; it is refused if it arrives later`);
  });

  router.post('/payments/:id/reversal', async (ctx) => {
    idempotencyKey(ctx);
    const rec = acquirer.get(ctx.params.id ?? '');
    faults.gate('reversal', rec.reference, rec.amountMinor);
    about(ctx, rec);
    await change(() => acquirer.reverse(rec));
    ctx.body = view(ctx, rec);
  });

  router.post('/payments/:id/confirm', async (ctx) => {
    idempotencyKey(ctx);
    const rec = acquirer.get(ctx.params.id ?? '');
    faults.gate('confirm', rec.reference, rec.amountMinor);
    about(ctx, rec);
    await change(() => acquirer.confirm(rec));
    ctx.body = view(ctx, rec);
  });

  return router;
}
