import Koa from 'koa';
import type { Logger } from 'pino';
import type { Config } from '@payments/config';
import type { AppState } from './app-state';
import { createAuthenticator } from './authenticator';
import { Deadline } from './deadline';
import { edgeMiddleware } from './edge-middleware';
import { HttpMetrics } from './http-metrics';
import { opsRouter } from './ops-router';
import { PaymentOwners } from './payment-owners';
import { createReadinessCheck } from './readiness';
import { spiRouter } from './spi-router';
import type { TemporalDeps } from './temporal-client';

/** A source of the current time, injectable for tests. */
export interface Clock {
  now(): number;
}

export interface AppDeps {
  config: Config;
  temporal: TemporalDeps;
  logger: Logger;
  clock?: Clock;
}

/** The SPI as a Koa app: no listening, no process handling (main.ts does that), so tests drive it directly. */
export function createApp({ config, temporal, logger, clock = { now: () => Date.now() } }: AppDeps): Koa<AppState> {
  const app = new Koa<AppState>();
  const metrics = new HttpMetrics();
  const readiness = createReadinessCheck({
    client: temporal.client,
    namespace: config.temporal.namespace,
    taskQueue: temporal.taskQueue,
    now: () => clock.now(),
    deadline: () => new Deadline(temporal.client, config.api.temporalDeadlineMs),
  });
  const spi = spiRouter({
    config,
    temporal,
    owners: new PaymentOwners(),
    authenticate: createAuthenticator(config.api.credentials, () => clock.now()),
  });
  const ops = opsRouter({ readiness, metrics });

  app.on('error', (err: unknown) => logger.error({ err }, 'unhandled error in Koa'));
  app.use(edgeMiddleware(logger, metrics));
  app.use(ops.routes());
  app.use(spi.routes());
  return app;
}
