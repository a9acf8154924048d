import { createHash, createHmac } from 'node:crypto';
import { startApi, type Api } from '../__fixtures__/harness';

const SECRET = 'oslo-webhook-secret-0123456789';
const OTHER = 'bergen-webhook-secret-0123456789';
const SECRETS = JSON.stringify({ demo: SECRET, bergen: ['bergen-new-secret-0123456789', OTHER] });
const PATH = '/webhooks/vipps-mobilepay';

let api: Api;
beforeEach(async () => {
  api = await startApi({ env: { VIPPS_WEBHOOK_SECRETS: SECRETS } });
});
afterEach(() => api.close());

/** An ePayment webhook body as Vipps sends it. */
function event(reference: string, name: string, over: Record<string, unknown> = {}): string {
  return JSON.stringify({
    msn: '123456',
    reference,
    pspReference: `psp-${reference.slice(0, 8)}`,
    name,
    amount: { currency: 'NOK', value: 49_900 },
    timestamp: new Date().toISOString(),
    idempotencyKey: null,
    success: true,
    ...over,
  });
}

/** Vipps's signature headers over the body, the path, the host and the date. */
function sign(body: string, options: { secret?: string; date?: Date; host?: string; path?: string } = {}): Record<string, string> {
  const date = (options.date ?? new Date()).toUTCString();
  const hash = createHash('sha256').update(body).digest('base64');
  const host = options.host ?? new URL(api.url).host;
  const signed = `POST\n${options.path ?? PATH}\n${date};${host};${hash}`;
  const signature = createHmac('sha256', options.secret ?? SECRET).update(signed).digest('base64');
  return { 'x-ms-date': date, 'x-ms-content-sha256': hash, authorization: `HMAC-SHA256 SignedHeaders=x-ms-date;host;x-ms-content-sha256&Signature=${signature}` };
}

const deliver = (body: string, headers: Record<string, string>) => api.request('POST', PATH, { body, auth: null, headers });
const signals = (paymentid: string) => api.fake.workflows.get(`payment-${paymentid}`)?.signals.filter((s) => s === 'acquirerChanged') ?? [];

describe('POST /webhooks/vipps-mobilepay', () => {
  test('an event signed with the merchant’s webhook secret → 200, the payment’s workflow signalled acquirerChanged', async () => {
    const id = await api.createSale();
    const body = event(id, 'AUTHORIZED');
    const res = await deliver(body, sign(body));
    expect(res.status).toBe(200);
    expect(res.body).toEqual({ received: true, duplicate: false });
    expect(signals(id)).toHaveLength(1);
  });

  test('a secret being rolled: either of a merchant’s secrets → 200', async () => {
    const id = await api.createSale();
    const body = event(id, 'ABORTED');
    expect((await deliver(body, sign(body, { secret: OTHER }))).status).toBe(200);
    expect(signals(id)).toHaveLength(1);
  });

  test.each([
    ['no signature headers', () => ({})],
    ['a signature by an unknown secret', (b: string) => sign(b, { secret: 'not-a-secret-of-ours-0123' })],
    ['a body changed after signing', (b: string) => sign(b.replace('AUTHORIZED', 'ABORTED'))],
    ['another host signed', (b: string) => sign(b, { host: 'evil.example:443' })],
    ['another path signed', (b: string) => sign(b, { path: '/webhooks/other' })],
    ['a date older than the tolerance', (b: string) => sign(b, { date: new Date(Date.now() - 6 * 60_000) })],
    ['garbage in Authorization', () => ({ 'x-ms-date': new Date().toUTCString(), 'x-ms-content-sha256': 'x', authorization: 'Bearer nope' })],
  ])('%s → 401 with one log line, nothing signalled, never a 5xx', async (_label, headers) => {
    const id = await api.createSale();
    const body = event(id, 'AUTHORIZED');
    const res = await deliver(body, headers(body));
    expect(res.status).toBe(401);
    expect(res.body).toMatchObject({ error_code: 'unauthorized' });
    expect(signals(id)).toEqual([]);
    expect(api.logs.filter((l) => l.includes('vipps webhook refused'))).toHaveLength(1);
    expect(api.logs.join('\n')).not.toContain(SECRET);
  });

  test('a signed body that is not an ePayment event → 400, logged', async () => {
    const body = JSON.stringify({ hello: 'world' });
    const res = await deliver(body, sign(body));
    expect(res.status).toBe(400);
    expect(api.logs.filter((l) => l.includes('vipps webhook refused'))).toHaveLength(1);
  });

  test('the same event delivered twice → 200 both times, the workflow signalled once; events out of order each nudge', async () => {
    const id = await api.createSale();
    const captured = event(id, 'CAPTURED');
    expect((await deliver(captured, sign(captured))).body).toEqual({ received: true, duplicate: false });
    expect((await deliver(captured, sign(captured))).body).toEqual({ received: true, duplicate: true });
    const authorized = event(id, 'AUTHORIZED');
    expect((await deliver(authorized, sign(authorized))).body).toEqual({ received: true, duplicate: false });
    expect(signals(id)).toHaveLength(2);
  });

  test('CREATED (we made it) → 200, nothing signalled; a payment we do not know → 200 and a log line', async () => {
    const id = await api.createSale();
    const created = event(id, 'CREATED');
    expect((await deliver(created, sign(created))).status).toBe(200);
    expect(signals(id)).toEqual([]);
    const unknown = event('6f1d7c2e-1111-4000-8000-00000000dead', 'AUTHORIZED');
    expect((await deliver(unknown, sign(unknown))).status).toBe(200);
    expect(api.logs.filter((l) => l.includes('vipps event passed on'))).toHaveLength(1);
  });
});

test('Temporal unreachable → 503 (Vipps sends the event again), and the same event then goes through', async () => {
  await api.close();
  let down = true;
  const passed: string[] = [];
  api = await startApi({
    env: { VIPPS_WEBHOOK_SECRETS: SECRETS },
    notifyAcquirer: async (paymentid) => {
      if (down) throw new Error('Temporal unreachable');
      passed.push(paymentid);
    },
  });
  const body = event('6f1d7c2e-2222-4000-8000-00000000beef', 'AUTHORIZED');
  expect((await deliver(body, sign(body))).status).toBe(503);
  down = false;
  expect((await deliver(body, sign(body))).status).toBe(200);
  expect(passed).toEqual(['6f1d7c2e-2222-4000-8000-00000000beef']);
});

test('no VIPPS_WEBHOOK_SECRETS → 404: the endpoint is off', async () => {
  await api.close();
  api = await startApi();
  const body = event('6f1d7c2e-3333-4000-8000-00000000cafe', 'AUTHORIZED');
  expect((await deliver(body, sign(body))).status).toBe(404);
});
