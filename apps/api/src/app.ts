import Koa from 'koa';
import type { Logger } from 'pino';
import type { ApiConfig } from '@payments/config';
import { AdmissionControl } from './admission';
import type { AppState } from './app-state';
import { authMiddleware, CredentialStore, LOGIN_REFUSAL_REASONS, type LoginRefusal } from './auth';
import { signalAcquirerChanged, callbackRouter, type AcquirerNotifier } from './callbacks';
import { Deadline, type TemporalDeps } from './temporal';
import { edgeMiddleware, HttpMetrics } from './http';
import { opsRouter, createReadinessCheck } from './ops';
import { PaymentDirectory, spiRouter } from './spi';
import { PaymentViews } from './views';
import { stripeWebhookRouter, vippsWebhookRouter } from './webhooks';

/** A source of the current time, injectable for tests. */
export interface Clock {
  now(): number;
}

export interface AppDeps {
  config: ApiConfig;
  temporal: TemporalDeps;
  logger: Logger;
  clock?: Clock;
  /** Told of each authenticated acquirer callback, Stripe and Vipps MobilePay event; by default it signals the payment's workflow. */
  notifyAcquirer?: AcquirerNotifier;
  /** The views the workers push (main.ts serves their listener); a fresh store by default. */
  views?: PaymentViews;
  /** The credentials in use (main.ts replaces them on SIGHUP); by default config.api.credentials. */
  credentials?: CredentialStore;
  /** True once main.ts has been told to stop: /readyz answers 503 while the API drains. */
  draining?: () => boolean;
}

/** The SPI as a Koa app: no listening, no process handling (main.ts does that), so tests drive it directly. */
export function createApp({ config, temporal, logger, clock = { now: () => Date.now() }, notifyAcquirer, views, credentials, draining }: AppDeps): Koa<AppState> {
  const app = new Koa<AppState>();
  app.proxy = config.security.trustProxy;
  const metrics = new HttpMetrics();
  const readiness = createReadinessCheck({
    client: temporal.client,
    namespace: config.temporal.namespace,
    taskQueue: temporal.taskQueue,
    now: () => clock.now(),
    deadline: () => new Deadline(temporal.client, config.api.temporalDeadlineMs),
    draining,
  });
  metrics.expectLoginRefusals(LOGIN_REFUSAL_REASONS);
  const refused = (r: LoginRefusal) => {
    metrics.loginRefused(r.reason);
    logger.warn({ requestId: r.requestId, clientAddress: r.address, username: r.username, reason: r.reason, retryAfterS: r.retryAfterS }, 'login refused');
  };
  const admission = new AdmissionControl(config.overload.admission);
  const paymentViews = views ?? new PaymentViews({ trustMs: config.viewPush.trustMs, maxChecks: config.overload.viewChecksInFlight, now: () => clock.now() });
  paymentViews.onPushed((view) => admission.workerViewed(view.paymentid));
  metrics.watchAdmission(admission, paymentViews);
  const spi = spiRouter({
    config,
    admission,
    logger,
    temporal,
    directory: new PaymentDirectory(),
    views: paymentViews,
    auth: authMiddleware({ credentials: credentials ?? new CredentialStore(config.api.credentials, () => clock.now()), security: config.security, now: () => clock.now(), refused }),
  });
  const ops = opsRouter({ readiness, metrics });

  app.on('error', (err: unknown) => logger.error({ err }, 'unhandled error in Koa'));
  app.use(edgeMiddleware(logger, metrics, { retryAfterS: config.overload.admission.retryAfterS }));
  app.use(ops.routes());
  app.use(spi.routes());
  const notify = notifyAcquirer ?? signalAcquirerChanged(temporal.client, config.api.temporalDeadlineMs, paymentViews);
  app.use(callbackRouter({ config, logger, now: () => clock.now(), notify }).routes());
  app.use(stripeWebhookRouter({ config, logger, now: () => clock.now(), notify }).routes());
  app.use(vippsWebhookRouter({ config, logger, now: () => clock.now(), notify }).routes());
  return app;
}
