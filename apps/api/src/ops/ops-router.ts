import Router from '@koa/router';
import type { AppState } from '../app-state';
import { renderDocsPage, withBaseUrl } from './docs-page';
import type { HttpMetrics } from '../http';
import { buildOpenApi } from './openapi';
import type { Readiness } from './readiness';

/** Unauthenticated endpoints for operators and probes: health, readiness, metrics, the OpenAPI document and its docs page. */
export function opsRouter(deps: { readiness: () => Promise<Readiness>; metrics: HttpMetrics }): Router<AppState> {
  const router = new Router<AppState>();
  const openapi = buildOpenApi();
  const docs = renderDocsPage(openapi);

  router.get('/healthz', (ctx) => {
    ctx.body = { status: 'ok' };
  });
  router.get('/readyz', async (ctx) => {
    const readiness = await deps.readiness();
    ctx.status = readiness.ready ? 200 : 503;
    ctx.body = readiness;
  });
  router.get('/metrics', async (ctx) => {
    ctx.type = deps.metrics.contentType;
    ctx.body = await deps.metrics.render();
  });
  router.get('/openapi.json', (ctx) => {
    ctx.body = openapi;
  });
  router.get('/docs', (ctx) => {
    // Rendered from the document at start; no script and nothing loaded from elsewhere.
    ctx.type = 'text/html; charset=utf-8';
    ctx.set('Content-Security-Policy', "default-src 'none'; style-src 'unsafe-inline'; base-uri 'none'; form-action 'none'");
    ctx.body = withBaseUrl(docs, `${ctx.protocol}://${ctx.host}`); // Koa 3's ctx.origin is the Origin header
  });
  return router;
}
