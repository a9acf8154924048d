import { createHmac } from 'node:crypto';
import { startApi, type Api, type Reply } from '../__fixtures__/harness';
import { signCallback, verifyCallbackSignature } from '@payments/contract/signature';

const SECRET = 'acquirer-callback-secret-0123456789abcdef';
const clock = { ms: Date.UTC(2026, 0, 1, 12), now() { return this.ms; } };
const unix = () => Math.floor(clock.ms / 1000);

let api: Api;
let notified: string[];
let failNotify: boolean;

beforeEach(async () => {
  notified = [];
  failNotify = false;
  api = await startApi({
    env: { ACQUIRER_CALLBACK_SECRET: SECRET, ACQUIRER_CALLBACK_TOLERANCE_S: '300' },
    clock,
    notifyAcquirer: async (paymentid) => {
      if (failNotify) throw new Error('Temporal unavailable');
      notified.push(paymentid);
    },
  });
});
afterEach(() => api.close());

let n = 0;
const event = (extra: Record<string, unknown> = {}) =>
  JSON.stringify({ event_id: `evt-${++n}`, paymentid: '6f1d7c2e-1111-4000-8000-000000000000', type: 'payment.updated', ...extra });

const deliver = (body: string, signature: string | null, headers: Record<string, string> = {}) =>
  api.request('POST', '/callbacks/acquirer', {
    body,
    auth: null,
    headers: { ...(signature === null ? {} : { 'x-signature': signature }), ...headers },
  });

function expectRefused(res: Reply, message: RegExp) {
  expect(res.status).toBe(401);
  expect(res.body).toEqual({ error_code: 'unauthorized', error_data: { message: expect.stringMatching(message) }, request_id: res.headers.get('x-request-id') });
}

describe('POST /callbacks/acquirer', () => {
  test('a body signed with the secret and a fresh timestamp → 200, the payment notified once', async () => {
    const body = event();
    const res = await deliver(body, signCallback(SECRET, body, unix()));
    expect(res.status).toBe(200);
    expect(res.body).toEqual({ received: true, duplicate: false });
    expect(notified).toEqual(['6f1d7c2e-1111-4000-8000-000000000000']);
  });

  test('a timestamp up to the tolerance away, either way → 200', async () => {
    for (const skew of [-300, 300]) {
      const body = event();
      expect((await deliver(body, signCallback(SECRET, body, unix() + skew))).status).toBe(200);
    }
  });

  test('a wrong signature → 401 with the error body, nothing notified', async () => {
    const body = event();
    expectRefused(await deliver(body, signCallback('another-secret-0123456789abcdef0123', body, unix())), /does not match/);
    expect(notified).toEqual([]);
  });

  test('a body changed after signing → 401', async () => {
    const body = event();
    const signature = signCallback(SECRET, body, unix());
    expectRefused(await deliver(body.replace('payment.updated', 'payment.captured'), signature), /does not match/);
  });

  test('a stale timestamp (older than the tolerance), even correctly signed → 401', async () => {
    const body = event();
    expectRefused(await deliver(body, signCallback(SECRET, body, unix() - 301)), /tolerance window/);
    expectRefused(await deliver(body, signCallback(SECRET, body, unix() + 301)), /tolerance window/);
    expect(notified).toEqual([]);
  });

  test('the same signed request replayed → 401, notified only the first time', async () => {
    const body = event();
    const signature = signCallback(SECRET, body, unix());
    expect((await deliver(body, signature)).status).toBe(200);
    clock.ms += 10_000;
    expectRefused(await deliver(body, signature), /replay/);
    expect(notified).toHaveLength(1);
  });

  test('the same event delivered again with a fresh signature → 200 duplicate, not passed on twice', async () => {
    const body = event();
    expect((await deliver(body, signCallback(SECRET, body, unix()))).status).toBe(200);
    clock.ms += 30_000;
    const again = await deliver(body, signCallback(SECRET, body, unix()));
    expect(again.status).toBe(200);
    expect(again.body).toEqual({ received: true, duplicate: true });
    expect(notified).toHaveLength(1);
  });

  test.each([
    ['no X-Signature', null],
    ['an empty X-Signature', ''],
    ['no timestamp', `v1=${'a'.repeat(64)}`],
    ['no v1', 't=1767268800'],
    ['a v1 that is not hex', 't=1767268800,v1=zz'],
    ['garbage', 'Basic ZGVtbzpkZW1v'],
  ])('%s → 401', async (_label, signature) => {
    expectRefused(await deliver(event(), signature), /missing or malformed/);
  });

  test('a valid signature over a body that is not an event → 400 with the field, nothing notified', async () => {
    const body = JSON.stringify({ event_id: 'evt-x', type: 'payment.updated' });
    const res = await deliver(body, signCallback(SECRET, body, unix()));
    expect(res.status).toBe(400);
    expect(res.body).toMatchObject({ error_code: 'field-missing', error_data: { field: 'paymentid' } });
    expect(notified).toEqual([]);
  });

  test('passing the event on fails → 503, and the same delivery sent again goes through', async () => {
    const body = event();
    const signature = signCallback(SECRET, body, unix());
    failNotify = true;
    const failed = await deliver(body, signature);
    expect(failed.status).toBe(503);
    expect(failed.body.error_code).toBe('unavailable');
    failNotify = false;
    expect((await deliver(body, signature)).status).toBe(200);
    expect(notified).toHaveLength(1);
  });

  test('a body over the size limit → 413; a text/plain body → 400; neither notified', async () => {
    const big = event({ padding: 'x'.repeat(4096) });
    expect((await deliver(big, signCallback(SECRET, big, unix()))).status).toBe(413);
    const body = event();
    expect((await deliver(body, signCallback(SECRET, body, unix()), { 'content-type': 'text/plain' })).status).toBe(400);
    expect(notified).toEqual([]);
  });

  test('nothing else is affected: no Temporal call, no payment, and the SPI still answers with its own credentials only', async () => {
    for (let i = 0; i < 5; i++) {
      const body = event();
      await deliver(body, signCallback(SECRET, body, unix()));
      await deliver(body, signCallback('wrong-secret-0123456789abcdef01234567', body, unix()));
    }
    expect(api.fake.calls).toEqual([]);
    expect(api.fake.workflows.size).toBe(0);
    // A valid callback signature is no SPI credential.
    const body = event();
    const res = await api.request('GET', '/payments/x', { auth: null, headers: { 'x-signature': signCallback(SECRET, body, unix()) } });
    expect(res.status).toBe(401);
    expect((await api.request('POST', '/payments', { body: { amount: '1.00', currencycode: 'SEK', posid: 'P' } })).status).toBe(200);
  });
});

test('without ACQUIRER_CALLBACK_SECRET the route is off → 404 not-found', async () => {
  const off = await startApi();
  try {
    const body = event();
    const res = await off.request('POST', '/callbacks/acquirer', { body, auth: null, headers: { 'x-signature': signCallback(SECRET, body, unix()) } });
    expect(res.status).toBe(404);
    expect(res.body.error_code).toBe('not-found');
  } finally {
    await off.close();
  }
});

describe('verifyCallbackSignature', () => {
  const body = Buffer.from('{"x":1}');
  const nowMs = 1_767_268_800_000;
  const verify = (header: string) => verifyCallbackSignature({ header, body, secret: SECRET, nowMs, toleranceMs: 300_000 });

  test('the signature is HMAC-SHA256 over "<t>.<body>" in hex', () => {
    const hex = createHmac('sha256', SECRET).update(`1767268800.${body.toString()}`).digest('hex');
    expect(signCallback(SECRET, body, 1_767_268_800)).toBe(`t=1767268800,v1=${hex}`);
  });

  test('one of several v1 values matching (a secret being rolled) → ok', () => {
    const good = signCallback(SECRET, body, 1_767_268_800).split(',')[1];
    expect(verify(`t=1767268800,v1=${'0'.repeat(64)},${good}`)).toMatchObject({ ok: true });
  });

  test('two timestamps → malformed', () => {
    expect(verify(`t=1767268800,t=1767268801,v1=${'0'.repeat(64)}`)).toEqual({ ok: false, reason: 'malformed' });
  });
});
