import { startApi, saleBody, type Api } from '../__fixtures__/harness';

let api: Api;
// The test client's first fetch sets up undici (about 100–200 ms under load): spent once here, so
// the timings below are the API's answer as a register with a warm connection sees it.
beforeAll(async () => {
  const warm = await startApi();
  await warm.request('GET', '/healthz', { auth: null });
  await warm.close();
});
beforeEach(async () => {
  api = await startApi();
});
afterEach(() => api.close());

/** The contract's bound: every answer within 1 s, also while Temporal hangs. */
const BOUND_MS = 1000;

function expectUnavailable(res: { status: number; body: any; ms: number }) { // eslint-disable-line @typescript-eslint/no-explicit-any
  expect(res.status).toBe(503);
  expect(res.body).toEqual({
    error_code: 'unavailable',
    error_data: { message: expect.any(String) },
    request_id: expect.any(String),
  });
  expect(res.ms).toBeLessThan(BOUND_MS);
}

describe('Temporal hangs past the deadline → 503 unavailable within 1 s', () => {
  test('POST /payments while Temporal hangs → 503 unavailable in < 1 s', async () => {
    api.fake.hang = true;
    expectUnavailable(await api.request('POST', '/payments', { body: saleBody() }));
  });

  test('POST /payments of a refund crediting a sale while no worker answers its reservation → 503 in < 1 s', async () => {
    const sale = await api.createSale();
    api.fake.workerDown = true;
    expectUnavailable(await api.request('POST', '/payments', { body: saleBody({ amount: '-1.00', creditpaymentid: sale }) }));
  });

  test('POST /payments with an Idempotency-Key while Temporal hangs → 503 in < 1 s', async () => {
    api.fake.hang = true;
    expectUnavailable(await api.request('POST', '/payments', { body: saleBody(), headers: { 'idempotency-key': 'k' } }));
  });

  test('GET /payments/{id} of a payment this API has not seen while Temporal hangs → 503 in < 1 s', async () => {
    api.fake.hang = true;
    expectUnavailable(await api.request('GET', '/payments/00000000-0000-4000-8000-000000000000'));
  });

  test('GET /payments/{id} of a known payment while Temporal hangs → 503 in < 1 s', async () => {
    const paymentid = await api.createSale();
    api.fake.hang = true;
    expectUnavailable(await api.request('GET', `/payments/${paymentid}`));
  });

  test('PUT /payments/{id} while Temporal hangs → 503 in < 1 s', async () => {
    const paymentid = await api.createSale();
    api.fake.hang = true;
    expectUnavailable(await api.request('PUT', `/payments/${paymentid}`, { body: { state: 'cancelled' } }));
  });

  test('every Temporal call carries a gRPC deadline no later than TEMPORAL_CALL_DEADLINE_MS from the request', async () => {
    const before = Date.now();
    const paymentid = await api.createSale({}, { 'idempotency-key': 'd' });
    await api.request('GET', `/payments/${paymentid}`);
    await api.request('PUT', `/payments/${paymentid}`, { body: { state: 'cancelled' } });
    const after = Date.now();
    expect(api.fake.deadlines.length).toBe(api.fake.calls.length);
    api.fake.calls.forEach((call, i) => {
      const d = api.fake.deadlines[i] as number;
      expect(d).toBeGreaterThan(before);
      // The start's confirmation is sent after the register's answer, not while it waits: its
      // deadline is the end of the start window instead (START_CONFIRM_MS).
      const bound = call === 'signal:registerAnswered' ? api.config.overload.startConfirmMs : api.config.api.temporalDeadlineMs;
      expect(d).toBeLessThanOrEqual(after + bound);
    });
  });

  test('the API still answers after the hang ends: Temporal back → 200', async () => {
    api.fake.hang = true;
    await api.request('POST', '/payments', { body: saleBody() });
    api.fake.hang = false;
    expect((await api.request('POST', '/payments', { body: saleBody() })).status).toBe(200);
  });
});
