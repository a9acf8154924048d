import { startApi, type Api } from './__fixtures__/harness';

let api: Api;
beforeEach(async () => {
  api = await startApi();
});
afterEach(() => api.close());

describe('GET /payments/{paymentid}', () => {
  test('a payment this API started → 200 with the payment, one query and no describe', async () => {
    const paymentid = await api.createSale();
    api.fake.calls.length = 0;
    const res = await api.request('GET', `/payments/${paymentid}`);
    expect(res.status).toBe(200);
    expect(res.body).toMatchObject({ paymentid, amount: '398.00', currencycode: 'SEK', paymentstate: { state: 'inprogress' } });
    expect(api.fake.calls).toEqual(['query:payment']);
  });

  test('a payment this API started → the query names its run, so the server skips its current-run lookup', async () => {
    const paymentid = await api.createSale();
    api.fake.handleRuns.length = 0;
    await api.request('GET', `/payments/${paymentid}`);
    expect(api.fake.handleRuns).toEqual([`run-payment-${paymentid}`]);
  });

  test('a payment this API instance has not seen → its run comes from the describe, and later queries name it', async () => {
    const paymentid = await api.createSale();
    const other = await startApi();
    try {
      other.fake.workflows.set(`payment-${paymentid}`, api.fake.payment(paymentid));
      await other.request('GET', `/payments/${paymentid}`);
      await other.request('GET', `/payments/${paymentid}`);
      expect(other.fake.handleRuns).toEqual([undefined, `run-payment-${paymentid}`, `run-payment-${paymentid}`]);
    } finally {
      await other.close();
    }
  });

  test('a payment this API instance has not seen → ownership from the memo, then the query', async () => {
    const paymentid = await api.createSale();
    const other = await startApi();
    try {
      other.fake.workflows.set(`payment-${paymentid}`, api.fake.payment(paymentid));
      const res = await other.request('GET', `/payments/${paymentid}`);
      expect(res.status).toBe(200);
      expect(other.fake.calls).toEqual(['describe', 'query:payment']);
      const again = await other.request('GET', `/payments/${paymentid}`);
      expect(again.status).toBe(200);
      expect(other.fake.calls).toEqual(['describe', 'query:payment', 'query:payment']);
    } finally {
      await other.close();
    }
  });

  test('an unknown paymentid → 404 not-found', async () => {
    const res = await api.request('GET', '/payments/00000000-0000-4000-8000-000000000000');
    expect(res.status).toBe(404);
    expect(res.body.error_code).toBe('not-found');
  });

  test('a paymentid that cannot be one (too long, odd characters) → 404 not-found without asking Temporal', async () => {
    for (const id of ['x'.repeat(129), 'a%20b', 'a$b']) {
      const res = await api.request('GET', `/payments/${id}`);
      expect(res.status).toBe(404);
      expect(res.body.error_code).toBe('not-found');
    }
    expect(api.fake.calls).toEqual([]);
  });

  test('another merchant\'s payment → 404 not-found, the same body as an unknown id', async () => {
    const paymentid = await api.createSale();
    const res = await api.request('GET', `/payments/${paymentid}`, { auth: 'other:other-secret' });
    const unknown = await api.request('GET', '/payments/00000000-0000-4000-8000-000000000000', { auth: 'other:other-secret' });
    expect(res.status).toBe(404);
    expect({ ...res.body, request_id: '' }).toEqual({ ...unknown.body, request_id: '' });
  });

  test('another merchant\'s payment this instance has not seen → 404 not-found (memo checked)', async () => {
    const paymentid = await api.createSale();
    const other = await startApi();
    try {
      other.fake.workflows.set(`payment-${paymentid}`, api.fake.payment(paymentid));
      const res = await other.request('GET', `/payments/${paymentid}`, { auth: 'other:other-secret' });
      expect(res.status).toBe(404);
      expect(other.fake.calls).toEqual(['describe']);
    } finally {
      await other.close();
    }
  });

  test('a closed payment while no worker runs → 200 from the memo the workflow wrote on closing', async () => {
    const paymentid = await api.createSale();
    api.fake.close(paymentid, 'completed');
    api.fake.workerDown = true;
    const res = await api.request('GET', `/payments/${paymentid}`);
    expect(res.status).toBe(200);
    expect(res.body.paymentstate.state).toBe('completed');
    expect(res.ms).toBeLessThan(1000);
  });

  test('a closed payment read twice → the second answer costs no Temporal call', async () => {
    const paymentid = await api.createSale();
    api.fake.close(paymentid, 'cancelled');
    api.fake.workerDown = true;
    await api.request('GET', `/payments/${paymentid}`);
    api.fake.calls.length = 0;
    const res = await api.request('GET', `/payments/${paymentid}`);
    expect(res.body.paymentstate.state).toBe('cancelled');
    expect(api.fake.calls).toEqual([]);
  });

  test('an open payment while no worker runs → 503 unavailable within 1 s', async () => {
    const paymentid = await api.createSale();
    api.fake.workerDown = true;
    const res = await api.request('GET', `/payments/${paymentid}`);
    expect(res.status).toBe(503);
    expect(res.body.error_code).toBe('unavailable');
    expect(res.ms).toBeLessThan(1000);
  });
});
