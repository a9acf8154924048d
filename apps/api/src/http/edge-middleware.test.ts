import { startApi, saleBody, type Api } from '../__fixtures__/harness';

let api: Api;
beforeEach(async () => {
  api = await startApi();
});
afterEach(() => api.close());

describe('X-Request-Id', () => {
  test('a sane incoming X-Request-Id → echoed on the response', async () => {
    const res = await api.request('GET', '/healthz', { headers: { 'x-request-id': 'pos-req_42-abc' } });
    expect(res.headers.get('x-request-id')).toBe('pos-req_42-abc');
  });

  test('no X-Request-Id → a generated UUID', async () => {
    const res = await api.request('GET', '/healthz');
    expect(res.headers.get('x-request-id')).toMatch(/^[0-9a-f-]{36}$/);
  });

  test('an X-Request-Id over 64 characters or with odd characters → replaced by a UUID', async () => {
    for (const id of ['x'.repeat(65), 'a b', 'a;b', '<script>']) {
      const res = await api.request('GET', '/healthz', { headers: { 'x-request-id': id } });
      expect(res.headers.get('x-request-id')).toMatch(/^[0-9a-f-]{36}$/);
    }
  });

  test('an error body → request_id equal to the X-Request-Id header', async () => {
    const res = await api.request('POST', '/payments', { body: '{', headers: { 'x-request-id': 'abc-123' } });
    expect(res.headers.get('x-request-id')).toBe('abc-123');
    expect(res.body.request_id).toBe('abc-123');
  });
});

describe('errors at the edge', () => {
  test('an unknown route → 404 not-found with the error body', async () => {
    const res = await api.request('GET', '/nope');
    expect(res.status).toBe(404);
    expect(res.body.error_code).toBe('not-found');
  });

  test('DELETE /payments/{id} (no such method) → 404 not-found with the error body', async () => {
    const res = await api.request('DELETE', '/payments/abc');
    expect(res.status).toBe(404);
    expect(res.body.error_code).toBe('not-found');
  });

  test('an unexpected failure inside Temporal\'s client → 500 other, without its message', async () => {
    const paymentid = await api.createSale();
    const handle = api.fake.client.workflow.getHandle(`payment-${paymentid}`);
    const failingQuery = async () => {
      throw new Error('secret internal detail at /srv/db');
    };
    type GetHandle = typeof api.fake.client.workflow.getHandle;
    api.fake.client.workflow.getHandle = (() => ({ ...handle, query: failingQuery })) as unknown as GetHandle;
    const res = await api.request('GET', `/payments/${paymentid}`);
    expect(res.status).toBe(500);
    expect(res.body).toEqual({ error_code: 'other', error_data: { message: 'internal error' }, request_id: expect.any(String) });
    expect(JSON.stringify(res.body)).not.toContain('secret');
    const logged = api.logs.map((l) => JSON.parse(l)).find((l) => l.status === 500);
    expect(logged.err.message).toContain('secret internal detail');
  });
});

describe('the request log', () => {
  test('one line per request with method, route, status, ms, request id, paymentid and workflow id; no credentials, no customer data', async () => {
    const paymentid = await api.createSale({}, { 'store-id': 'Store%201', 'register-id': 'R7', 'staff-id': 'S9', 'x-request-id': 'log-test' });
    const lines = api.logs.map((l) => JSON.parse(l));
    expect(lines).toHaveLength(1);
    expect(lines[0]).toMatchObject({
      requestId: 'log-test',
      method: 'POST',
      route: '/payments',
      status: 200,
      paymentid,
      workflowId: `payment-${paymentid}`,
      merchant: 'demo',
      storeId: 'Store 1',
      registerId: 'R7',
      staffId: 'S9',
    });
    expect(typeof lines[0].ms).toBe('number');
    const all = api.logs.join('\n');
    expect(all).not.toContain(Buffer.from('demo:demo').toString('base64'));
    expect(all).not.toMatch(/authorization/i);
    expect(all).not.toContain('+46701234567');
  });

  test('Store-ID, Staff-ID and Register-ID are optional', async () => {
    const res = await api.request('POST', '/payments', { body: saleBody() });
    expect(res.status).toBe(200);
  });
});
