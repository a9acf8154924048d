import Router from '@koa/router';
import { Compile } from 'typebox/compile';
import { StartTransactionBody } from '@payments/contract/wire';
import { readBody, waitMs } from './http';
import type { LedgerStore } from './ledger-store';
import { SimError } from './sim-error';
import type { SimTerminal } from './sim-terminal';
import { transactionView } from './views';

const checkStart = Compile(StartTransactionBody);

/** /terminal/v1/:posid: one card transaction at a time per register's terminal. */
export function terminalRoutes({ terminal, store }: { terminal: SimTerminal; store: LedgerStore }): Router {
  const router = new Router({ prefix: '/terminal/v1/:posid/transactions' });

  router.post('/', async (ctx) => {
    const { tx, created } = terminal.start(ctx.params.posid ?? '', await readBody(ctx, checkStart));
    await store.commit();
    ctx.status = created ? 201 : 200;
    ctx.body = transactionView(tx);
  });

  router.get('/:reference', async (ctx) => {
    const tx = terminal.get(ctx.params.posid ?? '', ctx.params.reference ?? '');
    const after = typeof ctx.query.after === 'string' ? ctx.query.after : undefined;
    await terminal.waitForPrompt(tx, after, waitMs(ctx));
    ctx.body = transactionView(tx);
  });

  router.post('/:reference/cancel', async (ctx) => {
    const posid = ctx.params.posid ?? '';
    const reference = ctx.params.reference ?? '';
    const tx = terminal.cancel(posid, reference);
    await store.commit();
    if (!tx) throw new SimError(404, 'not-found', `no transaction ${reference}; it is refused if it starts later`);
    ctx.body = transactionView(tx);
  });

  return router;
}
