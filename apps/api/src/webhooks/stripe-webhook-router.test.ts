import Stripe from 'stripe';
import { startApi, type Api, type Reply } from '../__fixtures__/harness';

const SECRET = 'whsec_shop_0123456789abcdef';
const OTHER = 'whsec_other_0123456789abcdef';
const SECRETS = JSON.stringify({ demo: SECRET, other: ['whsec_other_new_0123456789', OTHER] });

let api: Api;
beforeEach(async () => {
  api = await startApi({ env: { STRIPE_WEBHOOK_SECRETS: SECRETS } });
});
afterEach(() => api.close());

let n = 0;
/** A Stripe event as its endpoint receives it: the object as it is now, never expanded. */
function event(type: string, object: Record<string, unknown>, id = `evt_${++n}`): string {
  return JSON.stringify({ id, object: 'event', api_version: '2026-09-30.endive', created: Math.floor(Date.now() / 1000), livemode: false, type, data: { object } });
}
const intent = (paymentid: string, over: Record<string, unknown> = {}) => ({
  id: `pi_${paymentid.slice(0, 8)}`,
  object: 'payment_intent',
  status: 'requires_capture',
  metadata: { paymentid, merchant: 'demo', posid: 'SIE0000160000051' },
  ...over,
});
const reader = (intentId: string) => ({
  id: 'tmr_1',
  object: 'terminal.reader',
  action: { type: 'process_payment_intent', status: 'succeeded', process_payment_intent: { payment_intent: intentId } },
});
const sign = (body: string, secret = SECRET, timestamp = Math.floor(Date.now() / 1000)) => Stripe.webhooks.generateTestHeaderString({ payload: body, secret, timestamp });

const deliver = (body: string, signature: string | null, headers: Record<string, string> = {}) =>
  api.request('POST', '/webhooks/stripe', { body, auth: null, headers: { ...(signature === null ? {} : { 'stripe-signature': signature }), ...headers } });

const signals = (paymentid: string) => api.fake.workflows.get(`payment-${paymentid}`)?.signals.filter((s) => s === 'acquirerChanged') ?? [];

function expectBadRequest(res: Reply) {
  expect(res.status).toBe(400);
  expect(res.body).toEqual({ error_code: 'bad-request', error_data: { message: expect.any(String) }, request_id: res.headers.get('x-request-id') });
}

describe('POST /webhooks/stripe', () => {
  test('an event signed with the merchant’s endpoint secret → 200, the payment’s workflow signalled acquirerChanged', async () => {
    const id = await api.createSale();
    const body = event('payment_intent.amount_capturable_updated', intent(id));
    const res = await deliver(body, sign(body));
    expect(res.status).toBe(200);
    expect(res.body).toEqual({ received: true, matched: true, duplicate: false });
    expect(signals(id)).toHaveLength(1);
  });

  test('a secret being rolled: either of a merchant’s secrets → 200', async () => {
    const id = await api.createSale({}, { authorization: `Basic ${Buffer.from('other:other-secret').toString('base64')}` });
    const body = event('payment_intent.succeeded', intent(id, { metadata: { paymentid: id, merchant: 'other' } }));
    expect((await deliver(body, sign(body, OTHER))).status).toBe(200);
    expect(signals(id)).toHaveLength(1);
  });

  test.each([
    ['no Stripe-Signature', null],
    ['an empty Stripe-Signature', ''],
    ['a signature by an unknown secret', 'whsec_unknown'],
    ['garbage', 't=abc,v1=zz'],
  ])('%s → 400 bad-request in the contract’s error body, nothing signalled', async (_label, secret) => {
    const id = await api.createSale();
    const body = event('payment_intent.succeeded', intent(id));
    const signature = secret === null || secret === '' || secret.startsWith('t=') ? secret : sign(body, secret);
    expectBadRequest(await deliver(body, signature));
    expect(signals(id)).toEqual([]);
  });

  test('a body changed after signing → 400; a timestamp older than Stripe’s 300 s tolerance → 400', async () => {
    const id = await api.createSale();
    const body = event('payment_intent.succeeded', intent(id));
    expectBadRequest(await deliver(body.replace('requires_capture', 'succeeded'), sign(body)));
    expectBadRequest(await deliver(body, sign(body, SECRET, Math.floor(Date.now() / 1000) - 301)));
    expect(signals(id)).toEqual([]);
    expect(api.logs.filter((l) => l.includes('stripe webhook refused'))).toHaveLength(2);
    expect(api.logs.join('\n')).not.toContain(SECRET);
  });

  test('a payment we do not know (or closed) → 200 and one log line, nothing else', async () => {
    const body = event('payment_intent.succeeded', intent('6f1d7c2e-1111-4000-8000-00000000dead'));
    const res = await deliver(body, sign(body));
    expect(res.status).toBe(200);
    expect(api.logs.filter((l) => l.includes('stripe event'))).toHaveLength(1);
  });

  test('the same event delivered twice → 200 both times, the workflow signalled once', async () => {
    const id = await api.createSale();
    const body = event('payment_intent.amount_capturable_updated', intent(id));
    expect((await deliver(body, sign(body))).body).toMatchObject({ duplicate: false });
    expect((await deliver(body, sign(body))).body).toMatchObject({ received: true, duplicate: true });
    expect(signals(id)).toHaveLength(1);
  });

  test('a reader event names only its intent: matched through the intent’s own earlier event, in any order after that', async () => {
    const id = await api.createSale();
    const pi = intent(id);
    const early = event('terminal.reader.action_failed', reader(pi.id));
    expect((await deliver(early, sign(early))).body).toEqual({ received: true, matched: false });
    const created = event('payment_intent.created', { ...pi, status: 'requires_payment_method' });
    await deliver(created, sign(created));
    const late = event('terminal.reader.action_failed', reader(pi.id));
    expect((await deliver(late, sign(late))).body).toMatchObject({ matched: true });
    // The intent's creation itself is nothing the payment waits for: only the reader's news nudges.
    expect(signals(id)).toHaveLength(1);
  });

  test('a refund names its payment in its metadata; an event type we do not use → 200, ignored', async () => {
    const id = await api.createSale();
    const refund = event('refund.created', { id: 're_1', object: 'refund', payment_intent: 'pi_other', metadata: { paymentid: id, merchant: 'demo' } });
    expect((await deliver(refund, sign(refund))).body).toMatchObject({ matched: true });
    const other = event('customer.created', { id: 'cus_1', object: 'customer', metadata: { paymentid: id } });
    expect((await deliver(other, sign(other))).body).toEqual({ received: true, matched: false });
    expect(signals(id)).toHaveLength(1);
  });

  test('one merchant’s secret cannot nudge another merchant’s payment → 200, not passed on', async () => {
    const id = await api.createSale();
    const body = event('payment_intent.succeeded', intent(id));
    expect((await deliver(body, sign(body, OTHER))).body).toEqual({ received: true, matched: false });
    expect(signals(id)).toEqual([]);
  });
});

test('Temporal unreachable → 503 (Stripe sends the event again), and the same event then goes through', async () => {
  await api.close();
  let down = true;
  const passed: string[] = [];
  api = await startApi({
    env: { STRIPE_WEBHOOK_SECRETS: SECRETS },
    notifyAcquirer: async (paymentid) => {
      if (down) throw new Error('Temporal unavailable');
      passed.push(paymentid);
    },
  });
  const body = event('payment_intent.succeeded', intent('6f1d7c2e-1111-4000-8000-000000000001'));
  const failed = await deliver(body, sign(body));
  expect(failed.status).toBe(503);
  expect(failed.body.error_code).toBe('unavailable');
  down = false;
  expect((await deliver(body, sign(body))).status).toBe(200);
  expect(passed).toEqual(['6f1d7c2e-1111-4000-8000-000000000001']);
});

test('without STRIPE_WEBHOOK_SECRETS the route is off → 404 not-found', async () => {
  const off = await startApi();
  try {
    const body = event('payment_intent.succeeded', intent('x'));
    const res = await off.request('POST', '/webhooks/stripe', { body, auth: null, headers: { 'stripe-signature': sign(body) } });
    expect(res.status).toBe(404);
    expect(res.body.error_code).toBe('not-found');
  } finally {
    await off.close();
  }
});
