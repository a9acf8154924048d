import type { Middleware } from 'koa';
import type { Logger } from 'pino';
import { D } from '@payments/contract';
import { paymentWorkflowId } from '@payments/workflow';
import type { AppState } from '../app-state';
import type { HttpMetrics } from './http-metrics';
import { requestIdFrom } from './request-id';
import { errorResponse, SpiError } from './spi-error';

/** Sitoo sends these URL-encoded on newer SPIs; logged, never required. */
function optionalHeader(value: string): string | undefined {
  if (value === '') return undefined;
  let decoded = value;
  try {
    decoded = decodeURIComponent(value);
  } catch {
    // Not URL-encoded after all: log it as it came.
  }
  return decoded.slice(0, 64);
}

/**
 * The first middleware: gives every response its X-Request-Id, turns anything thrown into the
 * contract's error body (the one mapper; every 503 with Retry-After), and writes one log line per request, with the payment's
 * workflow id for finding it in Temporal. The log names no credential, and a customer's phone
 * number only masked.
 */
export function edgeMiddleware(logger: Logger, metrics: HttpMetrics, o: { retryAfterS: number } = { retryAfterS: 1 }): Middleware<AppState> {
  return async (ctx, next) => {
    const started = performance.now();
    const requestId = requestIdFrom(ctx.get(D.requestId) || undefined);
    ctx.state.requestId = requestId;
    ctx.set(D.requestId, requestId);
    let failure: unknown;
    let errorCode: string | undefined;
    try {
      await next();
      if (ctx.status === 404 && ctx.body == null) throw new SpiError('not-found', 'no such route');
    } catch (err) {
      const { status, body } = errorResponse(err, requestId);
      ctx.status = status;
      ctx.body = body;
      errorCode = body.error_code;
      if (errorCode === 'unauthorized') ctx.set('WWW-Authenticate', 'Basic realm="sitoo-payments"');
      // Busy or away for a moment: the register may try again after this many seconds.
      if (errorCode === 'unavailable') ctx.set('Retry-After', String(o.retryAfterS));
      if (status >= 500) failure = err;
    }
    const ms = Math.round((performance.now() - started) * 10) / 10;
    const matched = (ctx as { _matchedRoute?: unknown })._matchedRoute;
    const route = typeof matched === 'string' ? matched : 'unmatched';
    metrics.observe(ctx.method, route, ctx.status, ms);
    const line = {
      requestId,
      method: ctx.method,
      route,
      status: ctx.status,
      ms,
      errorCode,
      merchant: ctx.state.merchant,
      paymentid: ctx.state.paymentid,
      customer: ctx.state.customer,
      workflowId: ctx.state.paymentid !== undefined ? paymentWorkflowId(ctx.state.paymentid) : undefined,
      storeId: optionalHeader(ctx.get('store-id')),
      staffId: optionalHeader(ctx.get('staff-id')),
      registerId: optionalHeader(ctx.get('register-id')),
      ...(failure !== undefined ? { err: failure } : {}),
    };
    // Temporal being away is expected now and then (503, warn); anything else failing is a bug (500, error).
    // A poll answered 200 is logged at debug: each register polls four times a second, and
    // /metrics counts and times every one of them.
    if (failure === undefined && ctx.method === 'GET' && ctx.status === 200) logger.debug(line, 'request');
    else if (failure === undefined) logger.info(line, 'request');
    else if (ctx.status === 503) logger.warn(line, 'request failed: Temporal unavailable');
    else logger.error(line, 'request failed');
  };
}
