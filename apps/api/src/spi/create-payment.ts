import type { Logger } from 'pino';
import type { ApiConfig } from '@payments/config';
import type { PaymentInput } from '@payments/workflow';
import type { AppState } from '../app-state';
import { maskPhone } from '../http';
import { isTemporalUnavailable } from '../temporal';
import { confirmStart } from './confirm-start';
import type { PaymentContext } from './payment-context';
import { idempotencyKeyFrom, newPaymentId } from './payment-id';
import { parsePaymentRequest } from './payment-request';
import { requestHash } from './request-hash';
import { startPayment } from './start-payment';

/** A POST /payments as the router hands it over. */
export interface CreatePaymentRequest {
  merchant: string;
  /** The Idempotency-Key header, if one was sent. */
  idempotencyKey: string | undefined;
  /** Reads the JSON body; called once the header has been checked. */
  readBody: () => Promise<unknown>;
  /** The request's state: the register's request rate, and what the request log names. */
  state: AppState;
}

/** The register's answer, and what to run once that answer (the 200) has been handed to its connection. */
export interface CreatedPayment {
  paymentid: string;
  answered: () => void;
}

/**
 * POST /payments: parses the register's request, then starts its workflow under admission
 * control, which refuses it (503 + Retry-After) before anything is started while Temporal or
 * the workers are saturated. The workflow touches acquirer or terminal only once `answered`
 * has confirmed the start: a POST answered with an error, or cut off, leaves a start that ends
 * cancelled, untouched.
 */
export async function createPayment(
  ctx: PaymentContext,
  req: CreatePaymentRequest,
  deps: { config: ApiConfig; logger: Logger },
): Promise<CreatedPayment> {
  const { config, logger } = deps;
  const idempotencyKey = idempotencyKeyFrom(req.idempotencyKey);
  const body = await req.readBody();
  const { request, kind, amountMinor, decimals } = parsePaymentRequest(body);
  req.state.limitRegister?.(request.posid);
  req.state.customer = maskPhone(request.customer?.mobile);
  const paymentid = newPaymentId(req.merchant, idempotencyKey);
  req.state.paymentid = paymentid;
  const confirmation = { postedAt: Date.now(), withinMs: config.overload.startConfirmMs };
  const input: PaymentInput = {
    paymentid,
    merchant: req.merchant,
    method: config.api.methods[req.merchant] ?? 'wallet',
    kind,
    amountMinor,
    request,
    requestHash: requestHash(body),
    timers: { ...config.timers },
    startConfirmation: confirmation,
  };
  const started = await ctx.admission.start(paymentid, () => startPayment(ctx, input, { decimals, idempotent: idempotencyKey !== null }), isTemporalUnavailable);
  const answered = () => {
    confirmStart({ client: ctx.client, admission: ctx.admission, paymentid, runId: started.runId, confirmation }).then(
      (confirmed) => {
        if (!confirmed) logger.warn({ paymentid }, 'start not confirmed within START_CONFIRM_MS: the payment ends cancelled, untouched');
      },
      (err: unknown) => logger.error({ err, paymentid }, 'start confirmation failed: the payment ends cancelled, untouched'),
    );
  };
  return { paymentid, answered };
}
