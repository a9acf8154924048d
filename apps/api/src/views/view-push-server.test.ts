import type { AddressInfo } from 'node:net';
import pino from 'pino';
import { signCallback } from '@payments/contract/signature';
import { initialPaymentView } from '@payments/workflow';
import { saleInput } from '../__fixtures__/harness';
import { PaymentViews } from './payment-views';
import { createViewPushServer } from './view-push-server';

const SECRET = 's'.repeat(32);

const view = (paymentid: string, version: number) => {
  const payment = initialPaymentView(saleInput(paymentid));
  return { paymentid, version, payment: { ...payment, paymentstate: { ...payment.paymentstate, message: `v${version}` } } };
};

let views: PaymentViews;
let url: string;
let close: () => Promise<void>;
const logs: string[] = [];

beforeEach(async () => {
  views = new PaymentViews({ trustMs: 2000 });
  const server = createViewPushServer({ views, secret: SECRET, toleranceMs: 300_000, logger: pino({}, { write: (l: string) => logs.push(l) }) });
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  url = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  close = () => new Promise<void>((r) => server.close(() => r()));
});
afterEach(() => close());

async function push(body: string, signature: string | null = signCallback(SECRET, body, Math.floor(Date.now() / 1000)), path = '/views') {
  const res = await fetch(`${url}${path}`, {
    method: 'POST',
    headers: { 'content-type': 'application/json', ...(signature ? { 'x-signature': signature } : {}) },
    body,
  });
  const text = await res.text();
  return { status: res.status, body: text ? JSON.parse(text) : null };
}

describe('the API’s listener for the workers’ view pushes', () => {
  test('a signed batch → 204, and each view is held (the newest version of each payment)', async () => {
    const res = await push(JSON.stringify([view('a', 1), view('b', 2), view('a', 3)]));
    expect(res.status).toBe(204);
    expect(views.fresh('a')?.paymentstate.message).toBe('v3');
    expect(views.fresh('b')?.paymentstate.message).toBe('v2');
  });

  test('no signature, a wrong secret, or a stale timestamp → 401 unauthorized with the error body; nothing held', async () => {
    const body = JSON.stringify([view('a', 1)]);
    for (const signature of [null, signCallback('x'.repeat(32), body, Math.floor(Date.now() / 1000)), signCallback(SECRET, body, 1_000)]) {
      const res = await push(body, signature);
      expect(res.status).toBe(401);
      expect(res.body.error_code).toBe('unauthorized');
    }
    expect(views.size).toBe(0);
  });

  test('a body that is not a list of views (bad payment, negative version, paymentid mismatch) → 400; nothing held', async () => {
    const good = view('a', 1);
    for (const bad of [{}, [{ ...good, version: -1 }], [{ ...good, payment: { ...good.payment, amount: 1 } }], [{ ...good, paymentid: 'b' }]]) {
      const res = await push(JSON.stringify(bad));
      expect(res.status).toBe(400);
      expect(res.body.error_code).toBe('bad-request');
    }
    expect(views.size).toBe(0);
  });

  test('anything but POST /views → 404', async () => {
    const res = await push('[]', undefined, '/payments');
    expect(res.status).toBe(404);
    expect(res.body.error_code).toBe('not-found');
  });
});
