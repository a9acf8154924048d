import { randomBytes } from 'node:crypto';
import Router from '@koa/router';
import type { Context } from 'koa';
import type { Faults } from '../faults';
import type { LedgerStore } from '../ledger-store';
import { SimError } from '../sim-error';
import { param, readParams, type Form } from './form';
import { listPage } from './stripe-list';
import { intentObject, readerObject, refundObject } from './stripe-objects';
import type { StripeSim } from './stripe-sim';
import { StripeWireError } from './stripe-wire-error';

export interface StripeRoutesDeps {
  stripe: StripeSim;
  faults: Faults;
  store: LedgerStore;
  /** The simulator's address as the caller used it: a Swish QR's pay page is under it. */
  publicUrl?: (ctx: Context) => string;
}

/** Test-mode secret or restricted keys; the simulator never takes a live key. */
const TEST_KEY = /^(sk|rk)_test_[A-Za-z0-9_]+$/;

/** The caller's secret key, from `Authorization: Bearer sk_test_…` (the SDK) or Basic (curl -u). */
function accountOf(ctx: Context): string {
  const auth = ctx.get('authorization');
  let key = '';
  if (auth.startsWith('Bearer ')) key = auth.slice(7).trim();
  else if (auth.startsWith('Basic ')) key = Buffer.from(auth.slice(6), 'base64').toString('utf8').split(':')[0] ?? '';
  if (key === '') {
    throw new StripeWireError(401, 'authentication_error', "You did not provide an API key. You need to provide your API key in the Authorization header, using Bearer auth (e.g. 'Authorization: Bearer YOUR_SECRET_KEY').");
  }
  if (!TEST_KEY.test(key)) throw new StripeWireError(401, 'authentication_error', `Invalid API Key provided: ${key.slice(0, 8)}****; the simulator takes test-mode keys only`);
  return key;
}

/**
 * The Stripe API subset that the Stripe Terminal adapter calls, on /v1 of the simulator's own
 * port: form-encoded bodies, Stripe's objects and `{ error: { type, code, message } }`, and
 * Idempotency-Key replay (the same key with other parameters is an idempotency_error).
 */
export function stripeRoutes({ stripe, faults, store, publicUrl = (ctx) => `${ctx.protocol}://${ctx.host}` }: StripeRoutesDeps): Router {
  const router = new Router({ prefix: '/v1' });

  router.use(async (ctx, next) => {
    ctx.set('Request-Id', `req_${randomBytes(7).toString('hex')}`);
    try {
      faults.assertUp();
      ctx.state.account = accountOf(ctx);
      // Refused before it does anything: a 429 is never a partial write.
      stripe.faults.rateLimit.admit(ctx.state.account as string, ctx.method, ctx.path);
      ctx.state.params = await readParams(ctx);
      await idempotent(ctx, next);
    } catch (err) {
      const wire =
        err instanceof StripeWireError
          ? err
          : err instanceof SimError && err.status === 503
            ? new StripeWireError(503, 'api_error', 'The simulated Stripe API is down (POST /sim/faults).')
            : new StripeWireError(500, 'api_error', 'An unexpected error occurred in the simulator.');
      ctx.status = wire.status;
      ctx.body = wire.body();
      if (wire.status === 429) ctx.set('Stripe-Should-Retry', stripe.faults.rateLimit.shouldRetryHeader);
    }
  });

  /**
   * Replays the stored answer of a key already used with the same request; stores a new one.
   * While the first request with a key still executes (a held answer: POST /sim/stripe/faults),
   * another with that key is refused with 409 and nothing is stored for it: the caller retries.
   */
  const idempotent = async (ctx: Context, next: () => Promise<unknown>): Promise<void> => {
    const key = ctx.get('idempotency-key');
    if (ctx.method !== 'POST' || key === '') {
      await next();
      await stripe.faults.answerable(ctx.path);
      return;
    }
    const slot = `${ctx.state.account as string} ${key}`;
    const params = JSON.stringify(ctx.state.params);
    const seen = stripe.state.idempotency[slot];
    if (seen) {
      if (seen.method !== ctx.method || seen.path !== ctx.path || seen.params !== params) {
        throw new StripeWireError(
          400,
          'idempotency_error',
          `Keys for idempotent requests can only be used with the same parameters they were first used with. Try using a key other than '${key}' if you meant to execute a different request.`,
        );
      }
      ctx.set('Idempotent-Replayed', 'true');
      ctx.status = seen.status;
      ctx.body = seen.body;
      return;
    }
    if (stripe.inFlight.has(slot)) {
      throw new StripeWireError(409, 'idempotency_error', `A request with the Idempotency-Key '${key}' is still in progress; retry it once that one has been answered.`);
    }
    stripe.inFlight.add(slot);
    try {
      try {
        await next();
      } catch (err) {
        // A definitive refusal is kept like a success; a fault of ours is not, so a retry may succeed.
        if (!(err instanceof StripeWireError) || err.status >= 500) throw err;
        ctx.status = err.status;
        ctx.body = err.body();
      }
      // Executed, not yet answered: the result is stored (and replayable) only when it goes out.
      await stripe.faults.answerable(ctx.path);
      stripe.state.idempotency[slot] = { method: ctx.method, path: ctx.path, params, status: ctx.status, body: ctx.body, at: Date.now() };
      await store.commit();
    } finally {
      stripe.inFlight.delete(slot);
    }
  };

  const account = (ctx: Context) => ctx.state.account as string;
  const form = (ctx: Context) => ctx.state.params as Form;
  const expand = (ctx: Context) => param.list(form(ctx), 'expand');
  const id = (ctx: Context) => ctx.params.id ?? '';
  /** Runs a change and writes the ledger before answering, refusals included. */
  const change = async <T>(fn: () => T): Promise<T> => {
    try {
      return fn();
    } finally {
      await store.commit();
    }
  };

  router.post('/payment_intents', async (ctx) => {
    const rec = await change(() => stripe.createIntent(account(ctx), form(ctx), publicUrl(ctx)));
    ctx.body = intentObject(rec, expand(ctx));
  });

  router.get('/payment_intents', (ctx) => {
    const page = listPage(Object.values(stripe.state.intents).filter((i) => i.account === account(ctx)), form(ctx));
    // A list expands its objects' fields as `data.<field>`.
    const fields = expand(ctx).map((e) => e.replace(/^data\./, ''));
    ctx.body = { object: 'list', data: page.data.map((rec) => intentObject(rec, fields)), has_more: page.has_more, url: '/v1/payment_intents' };
  });

  router.get('/payment_intents/search', (ctx) => {
    const found = stripe.search(account(ctx), param.string(form(ctx), 'query'));
    ctx.body = { object: 'search_result', data: found.map((rec) => intentObject(rec, expand(ctx))), has_more: false, next_page: null, url: '/v1/payment_intents/search' };
  });

  router.get('/payment_intents/:id', (ctx) => {
    ctx.body = intentObject(stripe.intent(account(ctx), id(ctx)), expand(ctx));
  });

  router.post('/payment_intents/:id/capture', async (ctx) => {
    const rec = await change(() => stripe.capture(account(ctx), id(ctx), form(ctx)));
    ctx.body = intentObject(rec, expand(ctx));
  });

  router.post('/payment_intents/:id/cancel', async (ctx) => {
    const rec = await change(() => stripe.cancelIntent(account(ctx), id(ctx), form(ctx)));
    ctx.body = intentObject(rec, expand(ctx));
  });

  router.post('/refunds', async (ctx) => {
    ctx.body = refundObject(await change(() => stripe.createRefund(account(ctx), form(ctx))));
  });

  router.get('/refunds', (ctx) => {
    const intentId = param.optionalString(form(ctx), 'payment_intent');
    const refunds = Object.values(stripe.state.refunds).filter((r) => r.account === account(ctx) && (intentId === null || r.paymentIntent === intentId));
    // Every refund of one intent at once (what the adapter asks); a page of the account's otherwise.
    const page = intentId !== null && form(ctx).limit === undefined ? { data: listPage(refunds, { limit: '100' }).data, has_more: false } : listPage(refunds, form(ctx));
    ctx.body = { object: 'list', data: page.data.map(refundObject), has_more: page.has_more, url: '/v1/refunds' };
  });

  router.get('/terminal/readers/:id', async (ctx) => {
    const reader = await change(() => stripe.reader(account(ctx), id(ctx)));
    ctx.body = readerObject(reader, stripe.state, expand(ctx));
  });

  router.post('/terminal/readers/:id/process_payment_intent', async (ctx) => {
    const reader = await change(() => stripe.processPaymentIntent(account(ctx), id(ctx), form(ctx)));
    ctx.body = readerObject(reader, stripe.state, expand(ctx));
  });

  router.post('/terminal/readers/:id/cancel_action', async (ctx) => {
    const reader = await change(() => stripe.cancelAction(account(ctx), id(ctx)));
    ctx.body = readerObject(reader, stripe.state, expand(ctx));
  });

  router.post('/test_helpers/terminal/readers/:id/present_payment_method', async (ctx) => {
    const reader = await change(() => stripe.presentPaymentMethod(account(ctx), id(ctx), form(ctx)));
    ctx.body = readerObject(reader, stripe.state, expand(ctx));
  });

  router.all('/*rest', (ctx) => {
    throw new StripeWireError(404, 'invalid_request_error', `Unrecognized request URL (${ctx.method}: ${ctx.path}). The simulator answers only the routes in apps/simulator/README.md.`);
  });

  return router;
}
