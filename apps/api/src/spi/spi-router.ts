import Router from '@koa/router';
import type { Context, Middleware } from 'koa';
import type { Logger } from 'pino';
import type { ApiConfig } from '@payments/config';
import { D } from '@payments/contract';
import type { PaymentInput } from '@payments/workflow';
import type { AdmissionControl } from '../admission';
import type { AppState } from '../app-state';
import { Deadline, isTemporalUnavailable, type TemporalDeps } from '../temporal';
import type { PaymentContext } from './payment-context';
import { maskPhone, readJson, SpiError } from '../http';
import { confirmStart } from './confirm-start';
import { idempotencyKeyFrom, newPaymentId, paymentIdFromPath } from './payment-id';
import type { PaymentDirectory } from './payment-directory';
import type { PaymentViews } from '../views';
import { parsePaymentRequest } from './payment-request';
import { readPayment } from './read-payment';
import { requestHash } from './request-hash';
import { parseSetStateRequest } from './set-state-request';
import { setPaymentState } from './set-payment-state';
import { startPayment } from './start-payment';

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
    const merchant = merchantOf(ctx);
    const idempotencyKey = idempotencyKeyFrom(ctx.get(D.idempotencyKey) || undefined);
    const body = await readJson(ctx.req, config.api.bodyLimitBytes);
    const { request, kind, amountMinor, decimals } = parsePaymentRequest(body);
    ctx.state.limitRegister?.(request.posid);
    ctx.state.customer = maskPhone(request.customer?.mobile);
    const paymentid = newPaymentId(merchant, idempotencyKey);
    ctx.state.paymentid = paymentid;
    const input: PaymentInput = {
      paymentid,
      merchant,
      method: config.api.methods[merchant] ?? 'wallet',
      kind,
      amountMinor,
      request,
      requestHash: requestHash(body),
      timers: { ...config.timers },
      startConfirmation: { postedAt: Date.now(), withinMs: config.overload.startConfirmMs },
    };
    // Refused here, before anything is started, while Temporal or the workers are saturated: 503 + Retry-After.
    const started = await admission.start(paymentid, () => startPayment(paymentContext(), input, { decimals, idempotent: idempotencyKey !== null }), isTemporalUnavailable);
    ctx.type = 'application/json';
    ctx.body = JSON.stringify(paymentid);
    // Only a 200 handed to the register's connection lets the payment touch acquirer or terminal:
    // a POST answered with an error, or cut off, leaves a start that ends cancelled, untouched.
    const confirmation = input.startConfirmation;
    if (confirmation) {
      ctx.res.once('finish', () => {
        confirmStart({ client: temporal.client, admission, paymentid, runId: started.runId, confirmation }).then(
          (confirmed) => {
            if (!confirmed) logger.warn({ paymentid }, 'start not confirmed within START_CONFIRM_MS: the payment ends cancelled, untouched');
          },
          (err: unknown) => logger.error({ err, paymentid }, 'start confirmation failed: the payment ends cancelled, untouched'),
        );
      });
    }
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
