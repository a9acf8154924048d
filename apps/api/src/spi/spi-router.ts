import Router from '@koa/router';
import type { Context, Middleware } from 'koa';
import type { Config } from '@payments/config';
import { D } from '@payments/contract';
import type { PaymentInput } from '@payments/workflow';
import type { AppState } from '../app-state';
import { Deadline, type TemporalDeps } from '../temporal';
import type { PaymentContext } from './payment-context';
import { maskPhone, readJson, SpiError } from '../http';
import { idempotencyKeyFrom, newPaymentId, paymentIdFromPath } from './payment-id';
import type { PaymentOwners } from './payment-owners';
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
  config: Config;
  temporal: TemporalDeps;
  owners: PaymentOwners;
  views: PaymentViews;
  auth: Middleware<AppState>;
}): Router<AppState> {
  const { config, temporal, owners, views, auth } = deps;
  const router = new Router<AppState>();
  const paymentContext = (): PaymentContext => ({
    client: temporal.client,
    taskQueue: temporal.taskQueue,
    owners,
    views,
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
    };
    await startPayment(paymentContext(), input, { decimals, idempotent: idempotencyKey !== null });
    ctx.type = 'application/json';
    ctx.body = JSON.stringify(paymentid);
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
    ctx.body = await setPaymentState(paymentContext(), paymentid, merchantOf(ctx), target);
  };
  router.put('/payments/:paymentid', auth, put);
  router.put('/payment/:paymentid', auth, put);

  return router;
}
