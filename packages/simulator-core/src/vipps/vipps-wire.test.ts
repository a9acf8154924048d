import { Compile } from 'typebox/compile';
import { VippsAccessToken, VippsCreatePaymentResponse, VippsModificationResponse, VippsPayment, VippsPaymentEvents, VippsProblem } from '@payments/contract/wire';
import { startSimulator, sleep } from '../__fixtures__/start';
import { MSN, SUBSCRIPTION_KEY, vippsClient } from './__fixtures__/vipps-client';

const isToken = Compile(VippsAccessToken);
const isProblem = Compile(VippsProblem);
const isCreated = Compile(VippsCreatePaymentResponse);
const isPayment = Compile(VippsPayment);
const isModification = Compile(VippsModificationResponse);
const isEvents = Compile(VippsPaymentEvents);

type Started = Awaited<ReturnType<typeof startSimulator>>;
let s: Started;
let v: Awaited<ReturnType<typeof vippsClient>>;
beforeEach(async () => {
  s = await startSimulator({ approveDelayMs: 100 });
  v = await vippsClient(s);
});
afterEach(() => s.close());

const nok = (value: number) => ({ currency: 'NOK', value });
const expectProblem = (res: { status: number; body: unknown; headers: Headers }, status: number) => {
  expect(res.status).toBe(status);
  expect(res.headers.get('content-type')).toContain('application/problem+json');
  expect(isProblem.Check(res.body)).toBe(true);
  expect(res.body).toMatchObject({ status });
};
const until = async (check: () => Promise<boolean>, ms = 3000) => {
  const end = Date.now() + ms;
  while (!(await check())) {
    if (Date.now() > end) throw new Error(`not within ${ms} ms`);
    await sleep(20);
  }
};
const setFaults = (body: Record<string, unknown>) => s.call('POST', '/sim/vipps/faults', body);
/** A payment the simulated customer leaves alone (customer: manual), for the tests that answer it themselves. */
async function waitingPayment(value = 10000) {
  await setFaults({ customer: 'manual' });
  const reference = v.reference();
  const res = await v.post('/payments', `${reference}-create`, v.createBody(reference, value));
  expect(res.status).toBe(201);
  return reference;
}
async function authorizedPayment(value = 10000) {
  const reference = v.reference();
  await v.post('/payments', `${reference}-create`, v.createBody(reference, value));
  await until(async () => (await v.get(`/payments/${reference}`)).body.state === 'AUTHORIZED');
  return reference;
}

describe('POST /accesstoken/get', () => {
  test('client_id, client_secret and Ocp-Apim-Subscription-Key → a Bearer token with its expiry, times as strings', async () => {
    const res = await s.call('POST', '/accesstoken/get', undefined, { client_id: 'c', client_secret: 's', 'Ocp-Apim-Subscription-Key': SUBSCRIPTION_KEY });
    expect(res.status).toBe(200);
    expect(isToken.Check(res.body)).toBe(true);
    expect(res.body).toMatchObject({ token_type: 'Bearer', expires_in: '3600' });
    expect(Number(res.body.expires_on) - Number(res.body.not_before)).toBe(3600);
  });

  test('without client_secret → 401 problem, and no token', async () => {
    const res = await s.call('POST', '/accesstoken/get', undefined, { client_id: 'c', 'Ocp-Apim-Subscription-Key': SUBSCRIPTION_KEY });
    expectProblem(res, 401);
    expect(res.body.access_token).toBeUndefined();
  });

  test('revoked tokens (POST /sim/vipps/faults revokeTokens) → 401 until a new token is fetched', async () => {
    await setFaults({ revokeTokens: true });
    expectProblem(await v.get(`/payments/${v.reference()}`), 401);
    const fresh = await vippsClient(s);
    expectProblem(await fresh.get(`/payments/${v.reference()}`), 404);
  });
});

describe('headers the gateway and the API check', () => {
  test('no token, an unknown token, or a token of another subscription key → 401 problem', async () => {
    const reference = v.reference();
    const body = v.createBody(reference);
    expectProblem(await s.call('POST', '/epayment/v1/payments', body, { ...v.headers({ 'Idempotency-Key': 'k1' }), Authorization: '' }), 401);
    expectProblem(await s.call('POST', '/epayment/v1/payments', body, v.headers({ 'Idempotency-Key': 'k1', Authorization: 'Bearer not-a-token' })), 401);
    expectProblem(await s.call('POST', '/epayment/v1/payments', body, v.headers({ 'Idempotency-Key': 'k1', 'Ocp-Apim-Subscription-Key': 'another-key' })), 401);
    expectProblem(await s.call('POST', '/epayment/v1/payments', body, { ...v.headers({ 'Idempotency-Key': 'k1' }), 'Ocp-Apim-Subscription-Key': '' }), 401);
    expect((await s.call('GET', '/sim/vipps/payments')).body.payments).toEqual([]);
  });

  test('Merchant-Serial-Number missing or not 4-6 digits, or a Vipps-System header over 30 characters → 400 problem', async () => {
    const reference = v.reference();
    expectProblem(await v.post('/payments', 'k1', v.createBody(reference), { 'Merchant-Serial-Number': '' }), 400);
    expectProblem(await v.post('/payments', 'k2', v.createBody(reference), { 'Merchant-Serial-Number': '12' }), 400);
    expectProblem(await v.post('/payments', 'k3', v.createBody(reference), { 'Vipps-System-Name': 'x'.repeat(31) }), 400);
    expect((await s.call('GET', '/sim/vipps/payments')).body.payments).toEqual([]);
  });

  test('create, cancel, capture and refund without Idempotency-Key → 400 problem', async () => {
    const reference = v.reference();
    const res = await v.post('/payments', null, v.createBody(reference));
    expectProblem(res, 400);
    expect(res.body.detail).toMatch(/Idempotency-Key/);
    expectProblem(await v.post(`/payments/${reference}/capture`, null, { modificationAmount: nok(100) }), 400);
  });

  test('a payment is seen only by its own sales unit: another MSN → 404 problem', async () => {
    const reference = await waitingPayment();
    expect((await v.get(`/payments/${reference}`)).status).toBe(200);
    expectProblem(await v.get(`/payments/${reference}`, { 'Merchant-Serial-Number': '654321' }), 404);
  });
});

describe('POST /epayment/v1/payments', () => {
  test('QR with TEXT/TARGETURL → 201 { redirectUrl: the page behind the QR, reference }; GET → CREATED, aggregate all zero', async () => {
    const reference = v.reference();
    const res = await v.post('/payments', `${reference}-create`, v.createBody(reference));
    expect(res.status).toBe(201);
    expect(isCreated.Check(res.body)).toBe(true);
    expect(res.body.reference).toBe(reference);
    expect(res.body.redirectUrl).toMatch(new RegExp(`^${s.url}/vipps/landing\\?token=`));
    const got = await v.get(`/payments/${reference}`);
    expect(isPayment.Check(got.body)).toBe(true);
    expect(got.body).toMatchObject({
      reference,
      state: 'CREATED',
      amount: nok(10000),
      paymentMethod: { type: 'WALLET' },
      aggregate: { authorizedAmount: nok(0), cancelledAmount: nok(0), capturedAmount: nok(0), refundedAmount: nok(0) },
    });
  });

  test('QR without qrFormat → redirectUrl is the QR image (SVG)', async () => {
    const reference = v.reference();
    const res = await v.post('/payments', `${reference}-create`, v.createBody(reference, 10000, { qrFormat: undefined }));
    expect(res.body.redirectUrl).toMatch(/\/vipps\/qr\?token=/);
    const image = await fetch(res.body.redirectUrl as string);
    expect(image.headers.get('content-type')).toContain('image/svg+xml');
  });

  test('a body that does not fit the schema → 400 problem naming the field', async () => {
    const reference = v.reference();
    const res = await v.post('/payments', 'k', { ...v.createBody(reference), amount: { currency: 'SEK', value: 100 } });
    expectProblem(res, 400);
    expect(res.body.detail).toMatch(/amount\.currency/);
  });

  test('a replay with the same Idempotency-Key answers the same and creates nothing more', async () => {
    const reference = v.reference();
    const first = await v.post('/payments', `${reference}-create`, v.createBody(reference));
    const again = await v.post('/payments', `${reference}-create`, v.createBody(reference));
    expect(again.status).toBe(201);
    expect(again.body).toEqual(first.body);
    const events = await v.get(`/payments/${reference}/events`);
    expect(events.body.map((e: { name: string }) => e.name)).toEqual(['CREATED']);
  });

  test('the same Idempotency-Key with another body → 409; the same reference with another key → 409', async () => {
    const reference = v.reference();
    await v.post('/payments', `${reference}-create`, v.createBody(reference));
    expectProblem(await v.post('/payments', `${reference}-create`, v.createBody(reference, 20000)), 409);
    const other = await v.post('/payments', `${reference}-other`, v.createBody(reference));
    expectProblem(other, 409);
    expect(other.body.type).toMatch(/reference-conflict/);
  });
});

describe('the payment’s life: states, aggregate and events', () => {
  test('approved by the simulated customer → AUTHORIZED; capture part, refund part, cancel the rest: the aggregate adds up and the state stays AUTHORIZED', async () => {
    const reference = await authorizedPayment(10000);
    const capture = await v.post(`/payments/${reference}/capture`, `${reference}-capture`, { modificationAmount: nok(6000) });
    expect(capture.status).toBe(200);
    expect(isModification.Check(capture.body)).toBe(true);
    expect(capture.body.aggregate).toEqual({ authorizedAmount: nok(10000), cancelledAmount: nok(0), capturedAmount: nok(6000), refundedAmount: nok(0) });
    const refund = await v.post(`/payments/${reference}/refund`, `${reference}-refund`, { modificationAmount: nok(1000) });
    expect(refund.body.aggregate.refundedAmount).toEqual(nok(1000));
    const cancel = await v.post(`/payments/${reference}/cancel`, `${reference}-cancel`);
    expect(cancel.body).toMatchObject({ state: 'AUTHORIZED', aggregate: { authorizedAmount: nok(10000), cancelledAmount: nok(4000), capturedAmount: nok(6000), refundedAmount: nok(1000) } });
    const events = await v.get(`/payments/${reference}/events`);
    expect(isEvents.Check(events.body)).toBe(true);
    expect(events.body.map((e: { name: string; amount: { value: number }; idempotencyKey: string | null }) => [e.name, e.amount.value, e.idempotencyKey])).toEqual([
      ['CREATED', 10000, `${reference}-create`],
      ['AUTHORIZED', 10000, null],
      ['CAPTURED', 6000, `${reference}-capture`],
      ['REFUNDED', 1000, `${reference}-refund`],
      ['CANCELLED', 4000, `${reference}-cancel`],
    ]);
  });

  test('a capture replayed with its key moves the money once; more than is capturable → 400; another currency → 400', async () => {
    const reference = await authorizedPayment(10000);
    const first = await v.post(`/payments/${reference}/capture`, `${reference}-c1`, { modificationAmount: nok(10000) });
    const replay = await v.post(`/payments/${reference}/capture`, `${reference}-c1`, { modificationAmount: nok(10000) });
    expect(replay.body).toEqual(first.body);
    expect((await v.get(`/payments/${reference}`)).body.aggregate.capturedAmount).toEqual(nok(10000));
    expectProblem(await v.post(`/payments/${reference}/capture`, `${reference}-c2`, { modificationAmount: nok(1) }), 400);
    expectProblem(await v.post(`/payments/${reference}/refund`, `${reference}-r1`, { modificationAmount: { currency: 'DKK', value: 1 } }), 400);
    expectProblem(await v.post(`/payments/${reference}/refund`, `${reference}-r2`, { modificationAmount: nok(10001) }), 400);
  });

  test('cancel before the customer answers → TERMINATED with the whole amount cancelled; then capture → 400', async () => {
    const reference = await waitingPayment(2500);
    const res = await v.post(`/payments/${reference}/cancel`, `${reference}-cancel`);
    expect(res.body).toMatchObject({ state: 'TERMINATED', aggregate: { authorizedAmount: nok(0), cancelledAmount: nok(2500) } });
    expectProblem(await v.post(`/payments/${reference}/capture`, `${reference}-capture`, { modificationAmount: nok(2500) }), 400);
    expect((await v.get(`/payments/${reference}/events`)).body.map((e: { name: string }) => e.name)).toEqual(['CREATED', 'TERMINATED']);
  });

  test('an amount ending .51: the customer declines → ABORTED; .56: the payment expires → EXPIRED', async () => {
    const declined = v.reference();
    const expiring = v.reference();
    await v.post('/payments', `${declined}-create`, v.createBody(declined, 10051));
    await v.post('/payments', `${expiring}-create`, v.createBody(expiring, 10056));
    await until(async () => (await v.get(`/payments/${declined}`)).body.state === 'ABORTED');
    await until(async () => (await v.get(`/payments/${expiring}`)).body.state === 'EXPIRED');
    expect((await v.get(`/payments/${declined}`)).body.aggregate.authorizedAmount).toEqual(nok(0));
  });

  test('the test-only approve → AUTHORIZED; approving it again → 400 problem', async () => {
    const reference = await waitingPayment();
    const res = await v.post(`/test/payments/${reference}/approve`, null, {});
    expect(res.status).toBe(200);
    expect((await v.get(`/payments/${reference}`)).body.state).toBe('AUTHORIZED');
    expectProblem(await v.post(`/test/payments/${reference}/approve`, null, {}), 400);
  });
});

describe('limits and faults', () => {
  test('GET polled faster than the per-reference limit → 429 problem, counted in /sim/vipps/usage', async () => {
    await setFaults({ rateLimit: { readPerMinute: 3 } });
    const reference = await waitingPayment();
    const statuses: number[] = [];
    for (let i = 0; i < 4; i += 1) statuses.push((await v.get(`/payments/${reference}`)).status);
    expect(statuses).toEqual([200, 200, 200, 429]);
    expectProblem(await v.get(`/payments/${reference}`), 429);
    const usage = await s.call('GET', '/sim/vipps/usage');
    expect(usage.body.endpoints['GET /epayment/v1/payments/:reference']).toEqual({ calls: 5, rateLimited: 2 });
  });

  test('a sixth create of one reference within a minute → 429, even as a replay (Vipps: 5 a minute per reference)', async () => {
    const reference = v.reference();
    const statuses: number[] = [];
    for (let i = 0; i < 6; i += 1) statuses.push((await v.post('/payments', `${reference}-create`, v.createBody(reference))).status);
    expect(statuses).toEqual([201, 201, 201, 201, 201, 429]);
  });

  test('an amount ending .53 answers 503 three times, then the create goes through once', async () => {
    const reference = v.reference();
    await setFaults({ rateLimit: { modifyPerMinute: 100 } });
    const statuses: number[] = [];
    for (let i = 0; i < 4; i += 1) statuses.push((await v.post('/payments', `${reference}-create`, v.createBody(reference, 10053))).status);
    expect(statuses).toEqual([503, 503, 503, 201]);
  });

  test('an injected failure answers its status without doing anything', async () => {
    const reference = await authorizedPayment();
    await setFaults({ fail: { path: '/capture', status: 502, count: 1 } });
    expectProblem(await v.post(`/payments/${reference}/capture`, `${reference}-c`, { modificationAmount: nok(100) }), 502);
    expect((await v.get(`/payments/${reference}`)).body.aggregate.capturedAmount).toEqual(nok(0));
    expect((await v.post(`/payments/${reference}/capture`, `${reference}-c`, { modificationAmount: nok(100) })).status).toBe(200);
  });
});

describe('the page behind the QR and /sim/vipps', () => {
  test('a person approves on the page → 303 back to the page, the payment is AUTHORIZED', async () => {
    await setFaults({ customer: 'manual' });
    const reference = v.reference();
    const created = await v.post('/payments', `${reference}-create`, v.createBody(reference, 12345));
    const page = await fetch(created.body.redirectUrl as string);
    const html = await page.text();
    expect(html).toContain('123.45 NOK');
    expect(html).toContain('Approve');
    const token = new URL(created.body.redirectUrl as string).searchParams.get('token') ?? '';
    const answered = await s.call('POST', `/vipps/landing/approve?token=${encodeURIComponent(token)}`);
    expect(answered.status).toBe(303);
    expect((await v.get(`/payments/${reference}`)).body.state).toBe('AUTHORIZED');
    expect(await (await fetch(created.body.redirectUrl as string)).text()).toContain('Paid');
  });

  test('GET /sim/vipps/payments lists each payment with its aggregate; a capture behind the adapter’s back shows there and on the wire', async () => {
    const reference = await authorizedPayment(5000);
    const behind = await s.call('POST', `/sim/vipps/payments/${reference}/capture`, { value: 2000 });
    expect(behind.status).toBe(200);
    const listed = await s.call('GET', '/sim/vipps/payments');
    expect(listed.body.payments).toEqual([expect.objectContaining({ msn: MSN, reference, state: 'AUTHORIZED', aggregate: expect.objectContaining({ capturedAmount: nok(2000) }) })]);
    expect((await v.get(`/payments/${reference}`)).body.aggregate.capturedAmount).toEqual(nok(2000));
  });

  test('the ledger keeps the payments across a restart, and a waiting payment is still answered after it', async () => {
    await setFaults({ customer: 'manual' });
    const reference = v.reference();
    await v.post('/payments', `${reference}-create`, v.createBody(reference));
    await s.sim.close();
    const again = await startSimulator({ approveDelayMs: 100, ledgerPath: s.ledgerPath }, s.dir);
    try {
      const c = await vippsClient(again);
      expect((await c.get(`/payments/${reference}`)).body.state).toBe('CREATED');
      expect((await again.call('POST', `/sim/vipps/payments/${reference}/approve`)).status).toBe(200);
      expect((await c.get(`/payments/${reference}`)).body.state).toBe('AUTHORIZED');
    } finally {
      await again.sim.close();
    }
  });
});
