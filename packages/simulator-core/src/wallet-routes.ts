import Router from '@koa/router';
import type { LedgerStore } from './ledger-store';
import type { SimAcquirer } from './sim-acquirer';
import { SimError } from './sim-error';
import { renderNotFoundPage, renderWalletPage } from './wallet-page';

/** /wallet/:id: the customer's phone. Approve and Decline are plain form posts that redirect back. */
export function walletRoutes({ acquirer, store }: { acquirer: SimAcquirer; store: LedgerStore }): Router {
  const router = new Router({ prefix: '/wallet' });

  const find = (id: string) => {
    try {
      return acquirer.get(id);
    } catch (err) {
      if (err instanceof SimError && err.status === 404) return undefined;
      throw err;
    }
  };

  router.get('/:id', (ctx) => {
    const rec = find(ctx.params.id ?? '');
    ctx.type = 'html';
    ctx.set('Cache-Control', 'no-store');
    if (!rec || !rec.customerStep) {
      ctx.status = 404;
      ctx.body = renderNotFoundPage();
      return;
    }
    ctx.body = renderWalletPage(rec);
  });

  router.post('/:id/:answer', async (ctx) => {
    const rec = find(ctx.params.id ?? '');
    const answer = ctx.params.answer;
    if (!rec || !rec.customerStep || (answer !== 'approve' && answer !== 'decline')) {
      ctx.status = 404;
      ctx.type = 'html';
      ctx.body = renderNotFoundPage();
      return;
    }
    // Answering a request that is no longer pending changes nothing: the page shows how it ended.
    if (acquirer.answer(rec, answer)) await store.commit();
    ctx.redirect(`/wallet/${encodeURIComponent(rec.id)}`);
    ctx.status = 303;
  });

  return router;
}
