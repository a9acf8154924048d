import Router from '@koa/router';
import type { Context } from 'koa';
import type { LedgerStore } from '../ledger-store';
import { renderVippsAppPage, renderVippsNotFoundPage, renderVippsQrSvg } from './vipps-app-page';
import type { VippsSim } from './vipps-sim';
import { landingUrl } from './vipps-views';

/**
 * /vipps/landing?token=…: the customer's phone behind the QR, where a person approves or declines
 * (plain form posts that redirect back); /vipps/qr?token=…: the QR "image" the create pointed at.
 */
export function vippsPageRoutes({ vipps, store, publicUrl }: { vipps: VippsSim; store: LedgerStore; publicUrl: (ctx: Context) => string }): Router {
  const router = new Router({ prefix: '/vipps' });
  const token = (ctx: Context) => (typeof ctx.query.token === 'string' ? ctx.query.token : '');
  const notFound = (ctx: Context) => {
    ctx.status = 404;
    ctx.type = 'html';
    ctx.body = renderVippsNotFoundPage();
  };

  router.get('/landing', (ctx) => {
    const rec = vipps.byToken(token(ctx));
    if (!rec) return notFound(ctx);
    ctx.set('Cache-Control', 'no-store');
    ctx.type = 'html';
    ctx.body = renderVippsAppPage(rec, token(ctx));
  });

  router.post('/landing/:answer', async (ctx) => {
    const rec = vipps.byToken(token(ctx));
    const answer = ctx.params.answer;
    if (!rec || (answer !== 'approve' && answer !== 'decline')) return notFound(ctx);
    // Answering a payment that no longer waits changes nothing: the page shows how it ended.
    if (vipps.answer(rec, answer, 'page')) await store.commit();
    ctx.redirect(`/vipps/landing?token=${encodeURIComponent(token(ctx))}`);
    ctx.status = 303;
  });

  router.get('/qr', (ctx) => {
    const rec = vipps.byToken(token(ctx));
    if (!rec) return notFound(ctx);
    ctx.type = 'image/svg+xml';
    ctx.body = renderVippsQrSvg(landingUrl(publicUrl(ctx), rec));
  });

  return router;
}
