import { randomBytes, randomUUID } from 'node:crypto';
import Router from '@koa/router';
import type { Context } from 'koa';
import { Compile } from 'typebox/compile';
import { VippsCreatePaymentRequest, VippsModificationRequest, VippsRegisterWebhookRequest } from '@payments/contract/wire';
import type { TLocalizedValidationError } from 'typebox/error';
import type { AcquirerOperation, Faults } from '../faults';
import { readJson } from '../http';
import type { LedgerStore } from '../ledger-store';
import { SimError } from '../sim-error';
import type { VippsSim } from './vipps-sim';
import { VippsProblemError } from './vipps-problem';
import { paymentKey, type VippsPaymentRecord } from './vipps-state';
import { eventsView, modificationView, paymentView, redirectUrlOf } from './vipps-views';

export interface VippsRoutesDeps {
  vipps: VippsSim;
  faults: Faults;
  store: LedgerStore;
  publicUrl: (ctx: Context) => string;
  log: (line: Record<string, unknown>) => void;
}

const checkCreate = Compile(VippsCreatePaymentRequest);
const checkModification = Compile(VippsModificationRequest);
const checkRegister = Compile(VippsRegisterWebhookRequest);

const MSN = /^[0-9]{4,6}$/;
const SYSTEM_HEADERS = ['Vipps-System-Name', 'Vipps-System-Version', 'Vipps-System-Plugin-Name', 'Vipps-System-Plugin-Version'];

/** How one call is checked and counted before its handler runs. */
interface Call {
  /** Rate limited per reference at the modify (5 a minute) or the read (120) limit; none: not limited. */
  limit: 'modify' | 'read' | null;
  /** Whether an Idempotency-Key is required and answers are replayed for it. */
  idempotent: boolean;
  /** The operation a .53 (flaky) payment fails three times first. */
  flaky: AcquirerOperation | null;
}

/** What a handler gets: the sales unit, the body (POST) and the payment named in the path, if it exists. */
interface Req {
  msn: string;
  body: Record<string, unknown>;
  idempotencyKey: string | null;
}

/** Anything thrown, as the problem Vipps would answer; a fault of ours never leaks its message. */
function toProblem(err: unknown): VippsProblemError {
  if (err instanceof VippsProblemError) return err;
  if (err instanceof SimError) {
    if (err.status === 503) return new VippsProblemError(503, 'unavailable', 'The simulated Vipps API is down (POST /sim/faults) or flaky (an amount ending .53).');
    if (err.status < 500) return new VippsProblemError(err.status, 'validation', err.message);
  }
  return new VippsProblemError(500, 'internal', 'An unexpected error occurred in the simulator.');
}

/**
 * What Vipps's API gateway checks of every call before the API sees it: the subscription key and
 * a valid access token issued for it. Returns the subscription key.
 */
export function checkGateway(ctx: Context, vipps: VippsSim): string {
  const subscriptionKey = ctx.get('ocp-apim-subscription-key');
  if (subscriptionKey === '') throw new VippsProblemError(401, 'unauthorized', 'The Ocp-Apim-Subscription-Key header is required.');
  const auth = ctx.get('authorization');
  if (!/^Bearer\s+\S+$/i.test(auth)) throw new VippsProblemError(401, 'unauthorized', 'The Authorization header must carry the access token: "Bearer <token>".');
  vipps.checkToken(auth.replace(/^Bearer\s+/i, ''), subscriptionKey);
  return subscriptionKey;
}

/** The first schema error in words, naming the field. */
function schemaProblem(errors: TLocalizedValidationError[]): string {
  const first = errors[0];
  if (!first) return 'The body does not match the request schema.';
  if (first.keyword === 'required') return `${first.params.requiredProperties.join(', ')} is required.`;
  const field = first.instancePath.split('/').slice(1).join('.');
  return `${field === '' ? 'The body' : field} ${first.message}.`;
}

function answerProblem(ctx: Context, problem: VippsProblemError): void {
  ctx.status = problem.status;
  ctx.body = problem.body();
  ctx.type = 'application/problem+json';
}

/**
 * Vipps MobilePay's wire on the simulator's own port: POST /accesstoken/get, the ePayment API
 * (/epayment/v1: create, get, events, cancel, capture, refund and the test-only approve) and the
 * Webhooks API's registration (/webhooks/v1/webhooks). Every answer other than 2xx is an RFC 7807
 * problem; Idempotency-Key replays answer the same; references are rate limited as Vipps documents.
 */
export function vippsRoutes({ vipps, faults, store, publicUrl, log }: VippsRoutesDeps): Router {
  const router = new Router();

  /** Runs the checks Vipps's gateway and API make, then the handler; answers problems for what fails. */
  const endpoint =
    (call: Call, handler: (ctx: Context, req: Req) => Promise<void> | void) =>
    async (ctx: Context): Promise<void> => {
      try {
        faults.assertUp();
        const subscriptionKey = checkGateway(ctx, vipps);
        const msn = ctx.get('merchant-serial-number');
        if (msn === '') throw new VippsProblemError(400, 'missing-header', 'The Merchant-Serial-Number header is required.');
        if (!MSN.test(msn)) throw new VippsProblemError(400, 'validation', 'Merchant-Serial-Number must be 4 to 6 digits.');
        for (const name of SYSTEM_HEADERS) {
          if (ctx.get(name).length > 30) throw new VippsProblemError(400, 'validation', `${name} must be at most 30 characters.`);
        }
        const body = ctx.method === 'POST' ? await readJson(ctx) : {};
        const reference = ctx.params.reference ?? (typeof body.reference === 'string' ? body.reference : '');
        vipps.faults.admit({ method: ctx.method, path: ctx.path, modify: call.limit === 'modify', limitKey: call.limit === null ? null : call.limit === 'modify' ? `${msn} ${reference}` : `${subscriptionKey} ${reference}` });
        const injected = vipps.faults.failure(ctx.path);
        if (injected) throw injected;
        const known = vipps.state.payments[paymentKey(msn, reference)];
        const value = known?.value ?? (typeof body.amount === 'object' && body.amount !== null ? (body.amount as { value?: unknown }).value : undefined);
        const amount = typeof value === 'number' ? value : undefined;
        if (call.flaky) faults.gate(call.flaky, `vipps:${msn}:${reference}`, amount);
        await faults.slow(amount);
        let idempotencyKey: string | null = null;
        if (call.idempotent) {
          idempotencyKey = ctx.get('idempotency-key');
          if (idempotencyKey === '') throw new VippsProblemError(400, 'missing-header', 'The Idempotency-Key header is required.');
          if (idempotencyKey.length > 50) throw new VippsProblemError(400, 'validation', 'Idempotency-Key must be at most 50 characters.');
        }
        const req: Req = { msn, body, idempotencyKey };
        if (idempotencyKey === null) {
          await handler(ctx, req);
          await vipps.faults.answerable(ctx.path);
          return;
        }
        await idempotent(ctx, req, idempotencyKey, () => handler(ctx, req));
      } catch (err) {
        const problem = toProblem(err);
        if (problem.status === 500) log({ level: 'error', msg: 'vipps request failed', method: ctx.method, path: ctx.path, err: String(err) });
        answerProblem(ctx, problem);
      }
    };

  /**
   * Replays the stored answer of a key already used for the same request; stores a new one once
   * it is answered. The same key with another request is refused (409); while the first request
   * with a key still executes, another with it gets 409 and nothing is stored for it.
   */
  const idempotent = async (ctx: Context, req: Req, key: string, run: () => Promise<void> | void): Promise<void> => {
    const slot = `${req.msn} ${ctx.method} ${ctx.path} ${key}`;
    const request = JSON.stringify(req.body);
    const seen = vipps.state.idempotency[slot];
    if (seen) {
      if (seen.request !== request) throw new VippsProblemError(409, 'idempotency-conflict', `The Idempotency-Key ${key} was used with another request.`);
      ctx.status = seen.status;
      ctx.body = seen.body;
      if (seen.status >= 400) ctx.type = 'application/problem+json';
      return;
    }
    if (vipps.inFlight.has(slot)) throw new VippsProblemError(409, 'idempotency-conflict', `A request with the Idempotency-Key ${key} is still being processed.`);
    vipps.inFlight.add(slot);
    try {
      try {
        await run();
      } catch (err) {
        const problem = toProblem(err);
        // A definitive refusal is kept like a success; a fault of ours, a 401 or a 429 is not, so a retry may succeed.
        if (problem.status >= 500 || problem.status === 401 || problem.status === 429) throw problem;
        answerProblem(ctx, problem);
      }
      await vipps.faults.answerable(ctx.path);
      vipps.state.idempotency[slot] = { request, status: ctx.status, body: ctx.body, at: Date.now() };
      await store.commit();
    } finally {
      vipps.inFlight.delete(slot);
    }
  };

  /** Runs a change and writes the ledger before answering, refusals included. */
  const change = async <T>(fn: () => T): Promise<T> => {
    try {
      return fn();
    } finally {
      await store.commit();
    }
  };
  const payment = (ctx: Context, req: Req): VippsPaymentRecord => vipps.payment(req.msn, ctx.params.reference ?? '');
  const modificationAmount = (req: Req) => {
    if (!checkModification.Check(req.body)) throw new VippsProblemError(400, 'validation', schemaProblem(checkModification.Errors(req.body)));
    return req.body.modificationAmount;
  };

  router.post('/accesstoken/get', async (ctx) => {
    try {
      faults.assertUp();
      const token = await change(() => vipps.issueToken(ctx.get('client_id'), ctx.get('client_secret'), ctx.get('ocp-apim-subscription-key')));
      vipps.faults.admit({ method: 'POST', path: ctx.path, limitKey: null, modify: false });
      const expiresIn = Math.round((token.expiresAt - token.issuedAt) / 1000);
      ctx.body = {
        token_type: 'Bearer',
        expires_in: String(expiresIn),
        ext_expires_in: String(expiresIn),
        expires_on: String(Math.floor(token.expiresAt / 1000)),
        not_before: String(Math.floor(token.issuedAt / 1000)),
        resource: '00000002-0000-0000-c000-000000000000',
        access_token: token.token,
      };
    } catch (err) {
      answerProblem(ctx, toProblem(err));
    }
  });

  const epayment = '/epayment/v1';

  router.post(
    `${epayment}/payments`,
    endpoint({ limit: 'modify', idempotent: true, flaky: 'create' }, async (ctx, req) => {
      if (!checkCreate.Check(req.body)) throw new VippsProblemError(400, 'validation', schemaProblem(checkCreate.Errors(req.body)));
      const body = req.body;
      const rec = await change(() => vipps.create(req.msn, body, req.idempotencyKey ?? ''));
      ctx.status = 201;
      const redirectUrl = redirectUrlOf(publicUrl(ctx), rec);
      ctx.body = redirectUrl === undefined ? { reference: rec.reference } : { redirectUrl, reference: rec.reference };
    }),
  );

  router.get(
    `${epayment}/payments/:reference`,
    endpoint({ limit: 'read', idempotent: false, flaky: 'get' }, (ctx, req) => {
      ctx.body = paymentView(payment(ctx, req), publicUrl(ctx));
    }),
  );

  router.get(
    `${epayment}/payments/:reference/events`,
    endpoint({ limit: 'read', idempotent: false, flaky: 'get' }, (ctx, req) => {
      ctx.body = eventsView(payment(ctx, req));
    }),
  );

  router.post(
    `${epayment}/payments/:reference/cancel`,
    endpoint({ limit: 'modify', idempotent: true, flaky: 'cancel' }, async (ctx, req) => {
      const rec = payment(ctx, req);
      ctx.body = modificationView(await change(() => vipps.cancel(rec, req.idempotencyKey)));
    }),
  );

  router.post(
    `${epayment}/payments/:reference/capture`,
    endpoint({ limit: 'modify', idempotent: true, flaky: 'confirm' }, async (ctx, req) => {
      const rec = payment(ctx, req);
      const amount = modificationAmount(req);
      ctx.body = modificationView(await change(() => vipps.capture(rec, amount, req.idempotencyKey)));
    }),
  );

  router.post(
    `${epayment}/payments/:reference/refund`,
    endpoint({ limit: 'modify', idempotent: true, flaky: 'reversal' }, async (ctx, req) => {
      const rec = payment(ctx, req);
      const amount = modificationAmount(req);
      ctx.body = modificationView(await change(() => vipps.refund(rec, amount, req.idempotencyKey)));
    }),
  );

  router.post(
    `${epayment}/test/payments/:reference/approve`,
    endpoint({ limit: null, idempotent: false, flaky: null }, async (ctx, req) => {
      const rec = payment(ctx, req);
      if (req.body.token !== undefined && req.body.token !== rec.token) throw new VippsProblemError(400, 'validation', 'The token is not the one in this payment’s redirectUrl.');
      const approved = await change(() => vipps.answer(rec, 'approve', 'test-approve'));
      if (!approved) throw new VippsProblemError(400, 'invalid-state', `The payment cannot be approved: its state is ${rec.state}.`);
      ctx.status = 200;
      ctx.body = '';
    }),
  );

  router.all(`${epayment}/*rest`, (ctx) => {
    answerProblem(ctx, new VippsProblemError(404, 'not-found', `No such endpoint: ${ctx.method} ${ctx.path}. The simulator answers the routes in apps/simulator/README.md.`));
  });

  // --- the Webhooks API's registration -------------------------------------------------------

  router.post(
    '/webhooks/v1/webhooks',
    endpoint({ limit: null, idempotent: false, flaky: null }, async (ctx, req) => {
      if (!checkRegister.Check(req.body)) throw new VippsProblemError(400, 'validation', 'url and events (epayments.payment.<name>.v1) are required.');
      if (!/^https?:\/\//.test(req.body.url)) throw new VippsProblemError(400, 'validation', 'url must be an http(s) URL.');
      const id = randomUUID();
      const secret = randomBytes(48).toString('base64');
      const registration = { id, msn: req.msn, url: req.body.url, secret, events: [...req.body.events] };
      await change(() => (vipps.state.webhooks[id] = registration));
      ctx.status = 201;
      ctx.body = { id, secret };
    }),
  );

  router.get(
    '/webhooks/v1/webhooks',
    endpoint({ limit: null, idempotent: false, flaky: null }, (ctx, req) => {
      const webhooks = Object.values(vipps.state.webhooks)
        .filter((w) => w.msn === req.msn)
        .map((w) => ({ id: w.id, url: w.url, events: w.events }));
      ctx.body = { webhooks };
    }),
  );

  router.delete(
    '/webhooks/v1/webhooks/:id',
    endpoint({ limit: null, idempotent: false, flaky: null }, async (ctx, req) => {
      const hook = vipps.state.webhooks[ctx.params.id ?? ''];
      if (!hook || hook.msn !== req.msn) throw new VippsProblemError(404, 'not-found', 'No such webhook for this sales unit.');
      await change(() => delete vipps.state.webhooks[hook.id]);
      ctx.status = 204;
    }),
  );

  return router;
}
