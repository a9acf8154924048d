import { startApi, saleBody, type Api, type Reply } from '../__fixtures__/harness';

/** A clock the test moves by hand. */
const clock = { ms: Date.UTC(2026, 0, 1), now() { return this.ms; } };

const CREDENTIALS = JSON.stringify([
  { username: 'demo', password: 'demo', merchant: 'demo' },
  { username: 'demo-2', password: 'demo-2-secret', merchant: 'demo' },
  { username: 'other', password: 'other-secret', merchant: 'other' },
]);

function expectTooMany(res: Reply, retryAfterS: number) {
  expect(res.status).toBe(429);
  expect(res.headers.get('retry-after')).toBe(String(retryAfterS));
  expect(res.body).toEqual({ error_code: 'too-many-requests', error_data: { message: expect.any(String) }, request_id: res.headers.get('x-request-id') });
}

describe('rate limit per credential (RATE_LIMIT_PER_SECOND, RATE_LIMIT_BURST)', () => {
  let api: Api;
  beforeEach(async () => {
    api = await startApi({ env: { SPI_CREDENTIALS: CREDENTIALS, RATE_LIMIT_PER_SECOND: '2', RATE_LIMIT_BURST: '3' }, clock });
  });
  afterEach(() => api.close());

  test('past the burst → 429 too-many-requests with Retry-After, the request not carried out', async () => {
    for (let i = 0; i < 3; i++) expect((await api.request('GET', '/payments/unknown')).status).toBe(404);
    api.fake.calls.length = 0;
    expectTooMany(await api.request('POST', '/payments', { body: saleBody() }), 1);
    expect(api.fake.calls).toEqual([]);
  });

  test('the bucket refills: after 1/RATE_LIMIT_PER_SECOND the credential may call again', async () => {
    for (let i = 0; i < 3; i++) await api.request('GET', '/payments/unknown');
    expect((await api.request('GET', '/payments/unknown')).status).toBe(429);
    clock.ms += 500;
    expect((await api.request('GET', '/payments/unknown')).status).toBe(404);
    expect((await api.request('GET', '/payments/unknown')).status).toBe(429);
  });

  test('each credential has its own bucket, even two of one merchant', async () => {
    for (let i = 0; i < 4; i++) await api.request('GET', '/payments/unknown');
    expect((await api.request('GET', '/payments/unknown')).status).toBe(429);
    expect((await api.request('GET', '/payments/unknown', { auth: 'demo-2:demo-2-secret' })).status).toBe(404);
    expect((await api.request('GET', '/payments/unknown', { auth: 'other:other-secret' })).status).toBe(404);
  });

  test('the unauthenticated endpoints are not limited', async () => {
    for (let i = 0; i < 10; i++) expect((await api.request('GET', '/healthz', { auth: null })).status).toBe(200);
  });

  test('RATE_LIMIT_PER_SECOND=0 → no limit', async () => {
    const unlimited = await startApi({ env: { RATE_LIMIT_PER_SECOND: '0', RATE_LIMIT_BURST: '1' }, clock });
    try {
      for (let i = 0; i < 20; i++) expect((await unlimited.request('GET', '/payments/unknown')).status).toBe(404);
    } finally {
      await unlimited.close();
    }
  });
});

describe('failed logins per client address (LOGIN_FAILURE_LIMIT, LOGIN_FAILURE_WINDOW_MS)', () => {
  let api: Api;
  beforeEach(async () => {
    api = await startApi({
      env: { SPI_CREDENTIALS: CREDENTIALS, LOGIN_FAILURE_LIMIT: '3', LOGIN_FAILURE_WINDOW_MS: '60000', TRUST_PROXY: 'true' },
      clock,
    });
  });
  afterEach(() => api.close());

  const from = (ip: string) => ({ 'x-forwarded-for': ip });

  test('after 3 wrong passwords → 429 with Retry-After, even for the right password (a hit looks like a miss)', async () => {
    for (let i = 0; i < 3; i++) expect((await api.request('GET', '/payments/x', { auth: `demo:guess-${i}`, headers: from('203.0.113.7') })).status).toBe(401);
    expectTooMany(await api.request('GET', '/payments/x', { auth: 'demo:guess-3', headers: from('203.0.113.7') }), 20);
    expectTooMany(await api.request('GET', '/payments/x', { auth: 'demo:demo', headers: from('203.0.113.7') }), 20);
  });

  test('the limit is per address: another client with the right password is not held up', async () => {
    for (let i = 0; i < 5; i++) await api.request('GET', '/payments/x', { auth: 'demo:wrong', headers: from('203.0.113.7') });
    expect((await api.request('GET', '/payments/x', { auth: 'demo:demo', headers: from('198.51.100.1') })).status).toBe(404);
  });

  test('the window refills: one more try after LOGIN_FAILURE_WINDOW_MS / LOGIN_FAILURE_LIMIT', async () => {
    for (let i = 0; i < 3; i++) await api.request('GET', '/payments/x', { auth: 'demo:wrong', headers: from('203.0.113.8') });
    clock.ms += 20_000;
    expect((await api.request('GET', '/payments/x', { auth: 'demo:demo', headers: from('203.0.113.8') })).status).toBe(404);
  });

  test('unknown usernames and malformed headers count; requests without credentials do not', async () => {
    for (let i = 0; i < 5; i++) expect((await api.request('GET', '/payments/x', { auth: null, headers: from('203.0.113.9') })).status).toBe(401);
    expect((await api.request('GET', '/payments/x', { auth: 'nobody:x', headers: from('203.0.113.9') })).status).toBe(401);
    expect((await api.request('GET', '/payments/x', { auth: null, headers: { ...from('203.0.113.9'), authorization: 'Bearer x' } })).status).toBe(401);
    expect((await api.request('GET', '/payments/x', { auth: 'demo:nope', headers: from('203.0.113.9') })).status).toBe(401);
    expect((await api.request('GET', '/payments/x', { auth: 'demo:demo', headers: from('203.0.113.9') })).status).toBe(429);
  });

  test('without TRUST_PROXY, X-Forwarded-For is ignored: the socket address is the client', async () => {
    const direct = await startApi({ env: { SPI_CREDENTIALS: CREDENTIALS, LOGIN_FAILURE_LIMIT: '2' }, clock });
    try {
      await direct.request('GET', '/payments/x', { auth: 'demo:wrong', headers: from('203.0.113.1') });
      await direct.request('GET', '/payments/x', { auth: 'demo:wrong', headers: from('203.0.113.2') });
      expect((await direct.request('GET', '/payments/x', { headers: from('203.0.113.3') })).status).toBe(429);
    } finally {
      await direct.close();
    }
  });
});
