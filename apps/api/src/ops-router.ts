import Router from '@koa/router';
import type { AppState } from './app-state';
import type { HttpMetrics } from './http-metrics';
import { buildOpenApi } from './openapi';
import type { Readiness } from './readiness';

/** Unauthenticated endpoints for operators and probes: health, readiness, metrics, the OpenAPI document. */
export function opsRouter(deps: { readiness: () => Promise<Readiness>; metrics: HttpMetrics }): Router<AppState> {
  const router = new Router<AppState>();
  const openapi = buildOpenApi();

  router.get('/healthz', (ctx) => {
    ctx.body = { status: 'ok' };
  });
  router.get('/readyz', async (ctx) => {
    const readiness = await deps.readiness();
    ctx.status = readiness.ready ? 200 : 503;
    ctx.body = readiness;
  });
  router.get('/metrics', (ctx) => {
    ctx.type = 'text/plain; version=0.0.4; charset=utf-8';
    ctx.body = deps.metrics.render();
  });
  router.get('/openapi.json', (ctx) => {
    ctx.body = openapi;
  });
  return router;
}
