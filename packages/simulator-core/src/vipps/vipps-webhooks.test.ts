import { createHash, createHmac, timingSafeEqual } from 'node:crypto';
import * as http from 'node:http';
import type { AddressInfo } from 'node:net';
import { Compile } from 'typebox/compile';
import { VippsWebhookEvent } from '@payments/contract/wire';
import { startSimulator, sleep } from '../__fixtures__/start';
import { vippsClient } from './__fixtures__/vipps-client';
import { vippsWebhookHeaders } from './vipps-webhooks';

const SECRET = 'sim-vipps-webhook-secret-0123456789';
const isWebhookEvent = Compile(VippsWebhookEvent);

/**
 * The receiver's own check, written from the public description and not from the simulator's
 * signer: the body's SHA-256 against x-ms-content-sha256, then the HMAC over method, path and
 * query, date, host and that hash against the Authorization header.
 */
function verify(secret: string, req: { method: string; pathAndQuery: string; headers: http.IncomingHttpHeaders; body: string }): boolean {
  const hash = createHash('sha256').update(req.body).digest('base64');
  if (hash !== req.headers['x-ms-content-sha256']) return false;
  const toSign = [req.method, req.pathAndQuery, `${String(req.headers['x-ms-date'])};${String(req.headers.host)};${hash}`].join('\n');
  const expected = Buffer.from(`HMAC-SHA256 SignedHeaders=x-ms-date;host;x-ms-content-sha256&Signature=${createHmac('sha256', secret).update(toSign).digest('base64')}`);
  const actual = Buffer.from(String(req.headers.authorization));
  return expected.length === actual.length && timingSafeEqual(expected, actual);
}

interface Delivery {
  path: string;
  headers: http.IncomingHttpHeaders;
  verified: boolean;
  event: { name: string; reference: string; amount: { value: number }; msn: string };
  body: string;
}
let receiver: http.Server;
let base: string;
let deliveries: Delivery[];
let answer: (d: Delivery) => number;
let secretFor: (path: string) => string;

beforeAll(async () => {
  receiver = http.createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => chunks.push(c));
    req.on('end', () => {
      const body = Buffer.concat(chunks).toString('utf8');
      const path = req.url ?? '';
      const d: Delivery = { path, headers: req.headers, body, event: JSON.parse(body), verified: verify(secretFor(path), { method: req.method ?? '', pathAndQuery: path, headers: req.headers, body }) };
      deliveries.push(d);
      res.writeHead(answer(d)).end();
    });
  });
  await new Promise<void>((r) => receiver.listen(0, '127.0.0.1', r));
  base = `http://127.0.0.1:${(receiver.address() as AddressInfo).port}`;
});
afterAll(() => new Promise((r) => receiver.close(r)));

type Started = Awaited<ReturnType<typeof startSimulator>>;
let s: Started;
let v: Awaited<ReturnType<typeof vippsClient>>;
beforeEach(async () => {
  deliveries = [];
  answer = () => 200;
  secretFor = () => SECRET;
  s = await startSimulator({ approveDelayMs: 100, vippsWebhook: { url: `${base}/webhooks/vipps?tenant=demo`, secret: SECRET }, vippsWebhookRetryBaseMs: 40 });
  v = await vippsClient(s);
});
afterEach(() => s.close());

const names = (reference?: string) => deliveries.filter((d) => reference === undefined || d.event.reference === reference).map((d) => d.event.name);
async function until(check: () => boolean, ms = 3000) {
  const end = Date.now() + ms;
  while (!check()) {
    if (Date.now() > end) throw new Error(`not within ${ms} ms; deliveries: ${names().join(', ')}`);
    await sleep(10);
  }
}
async function sale(value = 10000) {
  const reference = v.reference();
  await v.post('/payments', `${reference}-create`, v.createBody(reference, value));
  return reference;
}

test('the signer reproduces the public documentation’s worked example (content hash and signature)', () => {
  // The example request of Vipps MobilePay's webhooks documentation: its secret, URL, date and body.
  const headers = vippsWebhookHeaders({
    secret: 'A0+AeKBRG2KRGvnNwJpQlb6IJFk48CKXCIcrLoHncVJKDILsQSxS6NWCccwWm6r6FhGKhiHTBsG2wo/xU6FY/A==',
    url: 'https://webhook.site/e2cee29b-012e-4f1d-8ef4-e95fd74a7a63',
    body: JSON.stringify({ 'some-unique-content': 'ee6e441b-cc4a-46f8-895d-a5af79bcc233/hello-world' }),
    date: new Date('Thu, 30 Mar 2023 08:38:32 GMT'),
  });
  expect(headers).toEqual({
    'x-ms-date': 'Thu, 30 Mar 2023 08:38:32 GMT',
    'x-ms-content-sha256': 'lNlsp1XA03N34HrQsVzPgJKtC+r7l/RBF4V3JQUWMj4=',
    authorization: 'HMAC-SHA256 SignedHeaders=x-ms-date;host;x-ms-content-sha256&Signature=agAiSyogQbDHpeucoNwYz+yAr5nJ+v+zasdkSbqzv+U=',
  });
});

test('a sale’s events reach the endpoint in order, each signed so an independent check over path+query, date, host and hash passes', async () => {
  const reference = await sale();
  await until(() => names(reference).includes('AUTHORIZED'));
  await v.post(`/payments/${reference}/capture`, `${reference}-capture`, { modificationAmount: { currency: 'NOK', value: 10000 } });
  await until(() => names(reference).includes('CAPTURED'));
  expect(names(reference)).toEqual(['CREATED', 'AUTHORIZED', 'CAPTURED']);
  for (const d of deliveries) {
    expect(d.path).toBe('/webhooks/vipps?tenant=demo');
    expect(d.verified).toBe(true);
    expect(isWebhookEvent.Check(d.event)).toBe(true);
  }
  expect(deliveries[2]?.event).toMatchObject({ msn: '123456', reference, name: 'CAPTURED', amount: { currency: 'NOK', value: 10000 }, idempotencyKey: `${reference}-capture`, success: true });
  // The check can fail: another secret, or a body changed on the way, does not pass.
  const d = deliveries[0] as Delivery;
  expect(verify('another-secret-0123456789', { method: 'POST', pathAndQuery: d.path, headers: d.headers, body: d.body })).toBe(false);
  expect(verify(SECRET, { method: 'POST', pathAndQuery: d.path, headers: d.headers, body: d.body.replace('10000', '1') })).toBe(false);
});

test('an event not answered 2xx is sent again with backoff, and the payment’s later events wait for it', async () => {
  let refusals = 2;
  answer = (d) => (d.event.name === 'CREATED' && refusals-- > 0 ? 500 : 200);
  const reference = await sale();
  await until(() => names(reference).includes('AUTHORIZED'));
  expect(names(reference)).toEqual(['CREATED', 'CREATED', 'CREATED', 'AUTHORIZED']);
  const counts = (await s.call('GET', '/sim/vipps/webhooks')).body.counts;
  expect(counts).toMatchObject({ failed: 2, delivered: 2 });
});

test('faults: drop sends nothing; duplicate sends each event twice; reorder sends a burst newest first', async () => {
  await s.call('POST', '/sim/vipps/webhooks', { drop: true });
  const dropped = await sale();
  await sleep(300);
  expect(names(dropped)).toEqual([]);

  await s.call('POST', '/sim/vipps/webhooks', { drop: false, duplicate: true });
  const twice = await sale();
  await until(() => names(twice).length === 4);
  expect(names(twice)).toEqual(['CREATED', 'CREATED', 'AUTHORIZED', 'AUTHORIZED']);

  await s.call('POST', '/sim/vipps/webhooks', { duplicate: false, reorder: true, reorderWindowMs: 200 });
  await s.call('POST', '/sim/vipps/faults', { customer: 'manual' });
  const reordered = await sale();
  await s.call('POST', `/sim/vipps/payments/${reordered}/approve`);
  await until(() => names(reordered).length === 2);
  expect(names(reordered)).toEqual(['AUTHORIZED', 'CREATED']);
});

test('POST /webhooks/v1/webhooks registers a URL for some event types of one sales unit, signed with the secret it answers', async () => {
  const registered = await s.call('POST', '/webhooks/v1/webhooks', { url: `${base}/registered`, events: ['epayments.payment.authorized.v1'] }, v.headers());
  expect(registered.status).toBe(201);
  const secret = registered.body.secret as string;
  secretFor = (path) => (path === '/registered' ? secret : SECRET);
  const reference = await sale();
  await until(() => deliveries.some((d) => d.path === '/registered'));
  const mine = deliveries.filter((d) => d.path === '/registered');
  expect(mine.map((d) => [d.event.name, d.verified])).toEqual([['AUTHORIZED', true]]);
  expect((await s.call('GET', '/webhooks/v1/webhooks', undefined, v.headers())).body.webhooks).toEqual([
    { id: registered.body.id, url: `${base}/registered`, events: ['epayments.payment.authorized.v1'] },
  ]);
  expect((await s.call('DELETE', `/webhooks/v1/webhooks/${registered.body.id as string}`, undefined, v.headers())).status).toBe(204);
  expect(names(reference)).toContain('AUTHORIZED');
});
