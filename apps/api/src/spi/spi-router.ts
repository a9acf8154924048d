import Router from '@koa/router';
import type { Context, Middleware } from 'koa';
import type { Logger } from 'pino';
import type { ApiConfig } from '@payments/config';
import { D } from '@payments/contract';
import type { AdmissionControl } from '../admission';
import type { AppState } from '../app-state';
import { Deadline, isTemporalUnavailable, type TemporalDeps } from '../temporal';
import type { PaymentContext } from './payment-context';
import { readJson, SpiError } from '../http';
import { createPayment } from './create-payment';
import { paymentIdFromPath } from './payment-id';
import type { PaymentDirectory } from './payment-directory';
import type { PaymentViews } from '../views';
import { readPayment } from './read-payment';
import { parseSetStateRequest } from './set-state-request';
import { setPaymentState } from './set-payment-state';

type Ctx = Context & { state: AppState; params: Record<string, string | undefined> };

function merchantOf(ctx: Ctx): string {
  if (ctx.state.merchant === undefined) throw new SpiError('unauthorized', 'missing or wrong credentials');
  return ctx.state.merchant;
}

/** The SPI Sitoo POS calls: POST /payments, GET and PUT /payments/{id} (and PUT /payment/{id}), all behind Basic auth. */
export function spiRouter(deps: {
  config: ApiConfig;
  temporal: TemporalDeps;
  directory: PaymentDirectory;
  views: PaymentViews;
  auth: Middleware<AppState>;
  admission: AdmissionControl;
  logger: Logger;
}): Router<AppState> {
  const { config, temporal, directory, views, auth, admission, logger } = deps;
  const router = new Router<AppState>();
  const paymentContext = (): PaymentContext => ({
    client: temporal.client,
    taskQueue: temporal.taskQueue,
    directory,
    views,
    admission,
    deadline: new Deadline(temporal.client, config.api.temporalDeadlineMs),
    newDeadline: () => new Deadline(temporal.client, config.api.temporalDeadlineMs),
  });

  router.post('/payments', auth, async (ctx: Ctx) => {
    const request = { merchant: merchantOf(ctx), idempotencyKey: ctx.get(D.idempotencyKey) || undefined, readBody: () => readJson(ctx.req, config.api.bodyLimitBytes), state: ctx.state };
    const created = await createPayment(paymentContext(), request, { config, logger });
    ctx.type = 'application/json';
    ctx.body = JSON.stringify(created.paymentid);
    // Only once the 200 has been handed to the register's connection may the payment go ahead.
    ctx.res.once('finish', created.answered);
  });

  router.get('/payments/:paymentid', auth, async (ctx: Ctx) => {
    const paymentid = paymentIdFromPath(ctx.params.paymentid);
    ctx.state.paymentid = paymentid;
    ctx.body = await readPayment(paymentContext(), paymentid, merchantOf(ctx));
  });

  const put = async (ctx: Ctx) => {
    const paymentid = paymentIdFromPath(ctx.params.paymentid);
    ctx.state.paymentid = paymentid;
    const target = parseSetStateRequest(await readJson(ctx.req, config.api.bodyLimitBytes));
    const merchant = merchantOf(ctx);
    // Never refused: a PUT finishes a payment already admitted, so it goes ahead of new POSTs.
    ctx.body = await admission.run('finish', () => setPaymentState(paymentContext(), paymentid, merchant, target), isTemporalUnavailable);
  };
  router.put('/payments/:paymentid', auth, put);
  router.put('/payment/:paymentid', auth, put);

  return router;
}
