import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import pino from 'pino';
import { loadApiConfig } from '@payments/config';
import { buildPaymentRequest } from '@payments/contract';
import type { NormalisedRequest, PaymentInput } from '@payments/workflow';
import { createApp, type AppDeps, type Clock } from '../app';
import { PaymentViews } from '../views';
import { FakeTemporal } from './fake-temporal';

export interface Reply {
  status: number;
  headers: Headers;
  /** Parsed JSON when the answer is JSON, else the text. */
  body: any; // eslint-disable-line @typescript-eslint/no-explicit-any -- tests read whatever the API answered
  ms: number;
}

export interface RequestOptions {
  /** An object or array is sent as JSON; a string is sent as it is. */
  body?: unknown;
  headers?: Record<string, string>;
  /** `user:password`; null sends no Authorization header. */
  auth?: string | null;
}

export const basic = (userPass: string): string => `Basic ${Buffer.from(userPass).toString('base64')}`;

/** A sale as Sitoo sends it (the contract's one body builder), with a fixed receipt so that a repeated body is the same request. */
export const saleBody = (overrides: Record<string, unknown> = {}): Record<string, unknown> => ({
  ...buildPaymentRequest('398.00', { receiptid: 'SIE000016000005112345' }),
  ...overrides,
});

/** The workflow input the API makes of saleBody(): what the views of a payment are built from. */
export const saleInput = (paymentid: string): PaymentInput => ({
  paymentid,
  merchant: 'demo',
  method: 'wallet',
  kind: 'sale',
  amountMinor: 39800,
  requestHash: 'test',
  timers: { expiryMs: 180_000, ackTimeoutMs: 180_000, lateCancelWindowMs: 1_800_000, refundWindowMs: 1_800_000 },
  request: saleBody() as unknown as NormalisedRequest,
});

/** The API on a real socket (port 0), over a FakeTemporal, with its log lines captured. */
export async function startApi(opts: { env?: Record<string, string>; clock?: Clock; notifyAcquirer?: AppDeps['notifyAcquirer']; draining?: () => boolean } = {}) {
  const env = {
    SPI_CREDENTIALS: JSON.stringify([
      { username: 'demo', password: 'demo', merchant: 'demo' },
      { username: 'other', password: 'other-secret', merchant: 'other' },
    ]),
    BODY_LIMIT_BYTES: '2048',
    // Every poll asks the workflow, unless a test sets a trust window to exercise pushed views.
    VIEW_TRUST_MS: '0',
    ...opts.env,
  };
  const config = loadApiConfig(env);
  const fake = new FakeTemporal();
  const logs: string[] = [];
  const logger = pino({ level: 'info' }, { write: (line: string) => logs.push(line) });
  const clock = opts.clock ?? { now: () => Date.now() };
  const views = new PaymentViews({ trustMs: config.viewPush.trustMs, now: () => clock.now() });
  const app = createApp({ config, temporal: { client: fake.client, taskQueue: 'payments' }, logger, clock, notifyAcquirer: opts.notifyAcquirer, views, draining: opts.draining });
  const server: Server = createServer(app.callback());
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const url = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;

  async function request(method: string, path: string, options: RequestOptions = {}): Promise<Reply> {
    const headers: Record<string, string> = { ...options.headers };
    const auth = options.auth === undefined ? 'demo:demo' : options.auth;
    if (auth !== null) headers.authorization = basic(auth);
    let body: string | undefined;
    if (options.body !== undefined) {
      body = typeof options.body === 'string' ? options.body : JSON.stringify(options.body);
      headers['content-type'] ??= 'application/json';
    }
    const started = performance.now();
    const res = await fetch(`${url}${path}`, { method, headers, body });
    const text = await res.text();
    const ms = performance.now() - started;
    const isJson = (res.headers.get('content-type') ?? '').includes('json');
    return { status: res.status, headers: res.headers, body: isJson && text !== '' ? JSON.parse(text) : text, ms };
  }

  /** Waits until the API has confirmed to the payment's workflow that its register got the id (sent after the 200). */
  async function confirmed(paymentid: string): Promise<void> {
    const until = Date.now() + 3000;
    while (!fake.workflows.get(`payment-${paymentid}`)?.signals.includes('registerAnswered')) {
      if (Date.now() > until) throw new Error(`payment ${paymentid}: no start confirmation within 3 s`);
      await new Promise((r) => setTimeout(r, 5));
    }
  }

  /** POSTs a sale and returns its paymentid, once the API has confirmed the start to its workflow. */
  async function createSale(overrides: Record<string, unknown> = {}, headers: Record<string, string> = {}): Promise<string> {
    const res = await request('POST', '/payments', { body: saleBody(overrides), headers });
    if (res.status !== 200) throw new Error(`POST /payments answered ${res.status}: ${JSON.stringify(res.body)}`);
    await confirmed(res.body as string);
    return res.body as string;
  }

  const close = () => new Promise<void>((resolve) => server.close(() => resolve()));
  return { url, config, fake, views, logs, request, createSale, confirmed, close, server };
}

export type Api = Awaited<ReturnType<typeof startApi>>;
