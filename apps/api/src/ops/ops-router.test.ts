import { startApi, type Api } from '../__fixtures__/harness';

let api: Api;
let now = Date.parse('2030-01-01T12:00:00Z');
beforeEach(async () => {
  now = Date.parse('2030-01-01T12:00:00Z');
  api = await startApi({ clock: { now: () => now } });
});
afterEach(() => api.close());

describe('GET /healthz and /readyz', () => {
  test('GET /healthz → 200 while the process runs, even with Temporal hanging', async () => {
    api.fake.hang = true;
    const res = await api.request('GET', '/healthz', { auth: null });
    expect(res.status).toBe(200);
  });

  test('GET /readyz with a worker that polled 5 s ago → 200', async () => {
    api.fake.pollers = [now - 5_000];
    const res = await api.request('GET', '/readyz', { auth: null });
    expect(res.status).toBe(200);
    expect(res.body).toEqual({ ready: true, temporal: 'up', workers: 1 });
  });

  test('GET /readyz when the only worker last polled 2 minutes ago → 503', async () => {
    api.fake.pollers = [now - 120_000];
    const res = await api.request('GET', '/readyz', { auth: null });
    expect(res.status).toBe(503);
    expect(res.body).toEqual({ ready: false, temporal: 'up', workers: 0 });
  });

  test('GET /readyz once the API drains (SIGTERM) → 503 draining at once, while the SPI still answers registers', async () => {
    let draining = false;
    const drainingApi = await startApi({ clock: { now: () => now }, draining: () => draining });
    try {
      drainingApi.fake.pollers = [now - 5_000];
      expect((await drainingApi.request('GET', '/readyz', { auth: null })).status).toBe(200);
      draining = true; // within the second the last answer is cached for
      const res = await drainingApi.request('GET', '/readyz', { auth: null });
      expect(res.status).toBe(503);
      expect(res.body).toMatchObject({ ready: false, draining: true });
      const paymentid = await drainingApi.createSale();
      expect((await drainingApi.request('GET', `/payments/${paymentid}`)).status).toBe(200);
    } finally {
      await drainingApi.close();
    }
  });

  test('GET /readyz while Temporal hangs → 503 within 1 s', async () => {
    api.fake.hang = true;
    const res = await api.request('GET', '/readyz', { auth: null });
    expect(res.status).toBe(503);
    expect(res.body.temporal).toBe('down');
    expect(res.ms).toBeLessThan(1000);
  });

  test('GET /readyz twice within a second → one describeTaskQueue; after a second → asked again', async () => {
    api.fake.pollers = [now];
    await api.request('GET', '/readyz', { auth: null });
    await api.request('GET', '/readyz', { auth: null });
    expect(api.fake.calls.filter((c) => c === 'describeTaskQueue')).toHaveLength(1);
    now += 1_000;
    await api.request('GET', '/readyz', { auth: null });
    expect(api.fake.calls.filter((c) => c === 'describeTaskQueue')).toHaveLength(2);
  });
});

describe('GET /metrics and /openapi.json', () => {
  test('GET /metrics → Prometheus text counting requests by route and status', async () => {
    await api.request('GET', '/healthz', { auth: null });
    await api.request('GET', '/payments/x', { auth: null });
    const res = await api.request('GET', '/metrics', { auth: null });
    expect(res.status).toBe(200);
    expect(res.headers.get('content-type')).toMatch(/^text\/plain; version=0\.0\.4/);
    expect(res.body).toContain('# TYPE http_requests_total counter');
    expect(res.body).toContain('http_requests_total{method="GET",route="/healthz",status="200"} 1');
    expect(res.body).toContain('http_requests_total{method="GET",route="/payments/:paymentid",status="401"} 1');
  });

  test('GET /metrics → a latency histogram per route and status, the path\'s ids folded into the route', async () => {
    api.fake.hang = true;
    await api.request('GET', '/readyz', { auth: null }); // answers 503 at the Temporal deadline (800 ms)
    await api.request('GET', '/payments/a', { auth: null });
    await api.request('GET', '/payments/b', { auth: null });
    const res = await api.request('GET', '/metrics', { auth: null });
    expect(res.body).toContain('# TYPE http_request_duration_seconds histogram');
    const readyz = 'method="GET",route="/readyz",status="503"';
    expect(res.body).toContain(`http_request_duration_seconds_bucket{le="0.5",${readyz}} 0`);
    expect(res.body).toContain(`http_request_duration_seconds_bucket{le="1",${readyz}} 1`);
    expect(res.body).toContain(`http_request_duration_seconds_count{${readyz}} 1`);
    expect(res.body).toContain('http_request_duration_seconds_count{method="GET",route="/payments/:paymentid",status="401"} 2');
    expect(res.body).not.toMatch(/route="\/payments\/[ab]"/);
  });

  test('GET /metrics → the Node process metrics too (CPU, memory, event loop lag)', async () => {
    const res = await api.request('GET', '/metrics', { auth: null });
    for (const name of ['process_cpu_seconds_total', 'process_resident_memory_bytes', 'nodejs_eventloop_lag_seconds']) {
      expect(res.body).toMatch(new RegExp(`^${name} \\d`, 'm'));
    }
  });

  test('GET /openapi.json → an OpenAPI 3.1 document of the SPI built from the contract\'s schemas', async () => {
    const res = await api.request('GET', '/openapi.json', { auth: null });
    expect(res.status).toBe(200);
    expect(res.body.openapi).toBe('3.1.0');
    expect(Object.keys(res.body.paths)).toEqual(expect.arrayContaining(['/payments', '/payments/{paymentid}', '/payment/{paymentid}']));
    const request = res.body.components.schemas.PaymentRequest;
    expect(request.required).toEqual(expect.arrayContaining(['amount', 'currencycode', 'posid']));
    expect(request.properties.cartitems.items.properties.quantity.type).toBe('number');
    expect(res.body.components.schemas.ErrorBody.properties.error_code.anyOf).toContainEqual({ const: 'idempotency-conflict', type: 'string' });
  });
});
