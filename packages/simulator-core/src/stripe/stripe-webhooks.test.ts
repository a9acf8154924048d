import { createHmac } from 'node:crypto';
import * as http from 'node:http';
import type { AddressInfo } from 'node:net';
import { startSimulator, sleep } from '../__fixtures__/start';

const SECRET = 'whsec_sim_test_0123456789';
const KEY = 'sk_test_webhooks';

/** A webhook endpoint that records each delivery and answers what `answer` says. */
interface Delivery {
  at: number;
  signature: string;
  body: string;
  event: { id: string; type: string; data: { object: Record<string, any> } }; // eslint-disable-line @typescript-eslint/no-explicit-any
}
let receiver: http.Server;
let endpointUrl: string;
let deliveries: Delivery[];
let answer: () => number;

beforeAll(async () => {
  receiver = http.createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => chunks.push(c));
    req.on('end', () => {
      const body = Buffer.concat(chunks).toString('utf8');
      deliveries.push({ at: Date.now(), signature: String(req.headers['stripe-signature']), body, event: JSON.parse(body) });
      res.writeHead(answer()).end();
    });
  });
  await new Promise<void>((r) => receiver.listen(0, '127.0.0.1', r));
  endpointUrl = `http://127.0.0.1:${(receiver.address() as AddressInfo).port}/webhooks/stripe`;
});
afterAll(() => new Promise((r) => receiver.close(r)));

type Started = Awaited<ReturnType<typeof startSimulator>>;
let s: Started;
beforeEach(async () => {
  deliveries = [];
  answer = () => 200;
  s = await startSimulator({ approveDelayMs: 200, stripeWebhook: { url: endpointUrl, secret: SECRET }, stripeWebhookRetryBaseMs: 50 });
});
afterEach(() => s.close());

let n = 0;
async function stripe(route: string, form: Record<string, string> = {}) {
  const res = await fetch(`${s.url}/v1${route}`, {
    method: 'POST',
    headers: { authorization: `Bearer ${KEY}`, 'content-type': 'application/x-www-form-urlencoded' },
    body: new URLSearchParams(form).toString(),
  });
  return (await res.json()) as Record<string, any>; // eslint-disable-line @typescript-eslint/no-explicit-any
}
/** A sale on a reader: the simulated customer presents a card at 100 ms and it is authorized at 200 ms (an amount ending .52: never presented). */
async function sale(amount = '1000') {
  const pi = await stripe('/payment_intents', {
    amount,
    currency: 'sek',
    capture_method: 'manual',
    'allowed_payment_method_types[0]': 'card_present',
    'metadata[paymentid]': `hook-${process.pid}-${++n}`,
  });
  await stripe(`/terminal/readers/tmr_hook${n}/process_payment_intent`, { payment_intent: pi.id });
  return pi as { id: string; metadata: { paymentid: string } };
}
async function until(check: () => boolean, ms = 3000) {
  const end = Date.now() + ms;
  while (!check()) {
    if (Date.now() > end) throw new Error(`not within ${ms} ms; deliveries: ${deliveries.map((d) => d.event.type).join(', ')}`);
    await sleep(10);
  }
}
const types = () => deliveries.map((d) => d.event.type);
const setWebhooks = (body: Record<string, unknown>) => s.call('POST', '/sim/stripe/webhooks', body);

test('a sale’s events reach the endpoint as Stripe sends them: JSON, Stripe-Signature t=…,v1=HMAC-SHA256("<t>.<body>")', async () => {
  const pi = await sale();
  await until(() => types().includes('terminal.reader.action_succeeded'));
  await stripe(`/payment_intents/${pi.id}/capture`);
  await until(() => types().filter((t) => t === 'payment_intent.succeeded').length === 1);
  expect(types()).toEqual(['payment_intent.created', 'payment_intent.amount_capturable_updated', 'terminal.reader.action_succeeded', 'payment_intent.succeeded']);
  for (const d of deliveries) {
    const m = /^t=(\d+),v1=([0-9a-f]{64})$/.exec(d.signature);
    expect(m).not.toBeNull();
    expect(Math.abs(Number(m?.[1]) - Date.now() / 1000)).toBeLessThan(5);
    expect(m?.[2]).toBe(createHmac('sha256', SECRET).update(`${m?.[1]}.${d.body}`).digest('hex'));
    expect(d.event.id).toMatch(/^evt_/);
  }
  const capturable = deliveries[1]?.event.data.object;
  expect(capturable).toMatchObject({ object: 'payment_intent', id: pi.id, status: 'requires_capture', metadata: { paymentid: pi.metadata.paymentid } });
  // A reader event names its intent by id only, as Stripe's (webhook objects are never expanded).
  expect(deliveries[2]?.event.data.object.action).toMatchObject({ status: 'succeeded', process_payment_intent: { payment_intent: pi.id } });
});

test('a decline → payment_intent.payment_failed and terminal.reader.action_failed; a cancel → payment_intent.canceled', async () => {
  const declined = await sale('1005');
  await until(() => types().includes('terminal.reader.action_failed'));
  expect(deliveries.find((d) => d.event.type === 'payment_intent.payment_failed')?.event.data.object).toMatchObject({ id: declined.id, last_payment_error: { code: 'card_declined' } });
  const pi = await sale('1052');
  await stripe(`/payment_intents/${pi.id}/cancel`);
  await until(() => types().includes('payment_intent.canceled'));
});

test('an endpoint answering 500 → the same event sent again with a fresh signature, until a 2xx', async () => {
  let calls = 0;
  answer = () => (++calls <= 2 ? 500 : 200);
  await sale('1052');
  await until(() => deliveries.length === 3);
  expect(new Set(deliveries.map((d) => d.event.id)).size).toBe(1);
  expect((await s.call('GET', '/sim/stripe/webhooks')).body.counts).toMatchObject({ raised: 1, delivered: 1, failed: 2 });
  // Doubling waits: 50 ms, then 100 ms.
  expect(deliveries[2]!.at - deliveries[1]!.at).toBeGreaterThanOrEqual((deliveries[1]!.at - deliveries[0]!.at) * 1.5);
});

describe('fault controls (POST /sim/stripe/webhooks)', () => {
  test('drop → nothing sent', async () => {
    await setWebhooks({ drop: true });
    await sale();
    await sleep(600);
    expect(deliveries).toEqual([]);
    expect((await s.call('GET', '/sim/stripe/webhooks')).body.counts).toMatchObject({ raised: 3, dropped: 3 });
  });

  test('duplicate → every event twice, with the same id', async () => {
    await setWebhooks({ duplicate: true });
    await sale('1052');
    await until(() => deliveries.length === 2);
    expect(deliveries[0]?.event.id).toBe(deliveries[1]?.event.id);
  });

  test('reorder → events raised together arrive newest first', async () => {
    await setWebhooks({ reorder: true, reorderWindowMs: 100 });
    await sale();
    await until(() => deliveries.length === 3);
    expect(types()).toEqual(['payment_intent.created', 'terminal.reader.action_succeeded', 'payment_intent.amount_capturable_updated']);
  });

  test('delayMs → each event arrives that late', async () => {
    await setWebhooks({ delayMs: 500 });
    const started = Date.now();
    await sale('1052');
    await until(() => deliveries.length === 1);
    expect(deliveries[0]!.at - started).toBeGreaterThanOrEqual(450);
  });

  test('a bad control → 400; the secret is never shown', async () => {
    expect((await setWebhooks({ delayMs: -1 })).status).toBe(400);
    expect((await setWebhooks({ endpoint: { url: 'x', secret: 'nope' } })).status).toBe(400);
    const view = await s.call('GET', '/sim/stripe/webhooks');
    expect(view.body.endpoint).toEqual({ url: endpointUrl });
    expect(view.text).not.toContain(SECRET);
  });
});
