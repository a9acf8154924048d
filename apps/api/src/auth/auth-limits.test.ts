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

describe('rate limit per register (REGISTER_RATE_LIMIT_PER_SECOND, REGISTER_RATE_LIMIT_BURST)', () => {
  let api: Api;
  beforeEach(async () => {
    api = await startApi({ env: { SPI_CREDENTIALS: CREDENTIALS, REGISTER_RATE_LIMIT_PER_SECOND: '2', REGISTER_RATE_LIMIT_BURST: '3' }, clock });
  });
  afterEach(() => api.close());

  const as = (registerId: string) => ({ 'register-id': registerId });

  test('a register (Register-ID) past its burst → 429 with Retry-After; the other registers of its credential are not held up', async () => {
    for (let i = 0; i < 3; i++) expect((await api.request('GET', '/payments/x', { headers: as('till-1') })).status).toBe(404);
    expectTooMany(await api.request('GET', '/payments/y', { headers: as('till-1') }), 1);
    expect((await api.request('GET', '/payments/x', { headers: as('till-2') })).status).toBe(404);
    clock.ms += 500;
    expect((await api.request('GET', '/payments/x', { headers: as('till-1') })).status).toBe(404);
  });

  test('the same Register-ID under two credentials → two registers', async () => {
    for (let i = 0; i < 4; i++) await api.request('GET', '/payments/x', { headers: as('till-1') });
    expect((await api.request('GET', '/payments/x', { headers: as('till-1'), auth: 'other:other-secret' })).status).toBe(404);
  });

  test('without Register-ID, a POST counts for its posid: a register looping on POST is refused before anything starts, another posid is not', async () => {
    for (let i = 0; i < 3; i++) expect((await api.request('POST', '/payments', { body: saleBody({ posid: 'POS-LOOP' }) })).status).toBe(200);
    api.fake.calls.length = 0;
    expectTooMany(await api.request('POST', '/payments', { body: saleBody({ posid: 'POS-LOOP' }) }), 1);
    expect(api.fake.calls).toEqual([]);
    expect((await api.request('POST', '/payments', { body: saleBody({ posid: 'POS-OTHER' }) })).status).toBe(200);
  });

  test('without Register-ID, a GET or PUT counts for the payment it names (a register polls one payment at a time)', async () => {
    for (let i = 0; i < 3; i++) expect((await api.request('GET', '/payments/p-1')).status).toBe(404);
    expect((await api.request('PUT', '/payments/p-1', { body: { state: 'completed' } })).status).toBe(429);
    expect((await api.request('GET', '/payments/p-2')).status).toBe(404);
  });

  test('REGISTER_RATE_LIMIT_PER_SECOND=0 → no limit per register, the credential\'s still applies', async () => {
    const unlimited = await startApi({ env: { REGISTER_RATE_LIMIT_PER_SECOND: '0', REGISTER_RATE_LIMIT_BURST: '1', RATE_LIMIT_BURST: '10' }, clock });
    try {
      for (let i = 0; i < 10; i++) expect((await unlimited.request('GET', '/payments/x', { headers: as('till-1') })).status).toBe(404);
      expect((await unlimited.request('GET', '/payments/x', { headers: as('till-1') })).status).toBe(429);
    } finally {
      await unlimited.close();
    }
  });
});

describe('the default request limits tell a runaway register from a big chain', () => {
  let api: Api;
  beforeAll(async () => {
    api = await startApi({ env: { SPI_CREDENTIALS: CREDENTIALS }, clock });
  });
  afterAll(() => api.close());

  test('1,000 registers of one credential polling every 250 ms (4,000 requests/s) are never refused; one looping register is, alone', async () => {
    const statuses = new Map<number, number>();
    const count = (status: number) => statuses.set(status, (statuses.get(status) ?? 0) + 1);
    // Half a second of a chain's peak, every register polling its payment twice (the old
    // per-credential bucket, 500/s with a burst of 1,000, refused 875 of these 2,000 polls).
    for (let tick = 0; tick < 2; tick++) {
      const polls = Array.from({ length: 1000 }, (_, r) => api.request('GET', `/payments/pay-${r}`, { headers: { 'register-id': `till-${r}` } }));
      for (const res of await Promise.all(polls)) count(res.status);
      // One register stuck in a loop, as fast as it can within the same 250 ms.
      for (let i = 0; i < 30; i++) count((await api.request('GET', '/payments/pay-loop', { headers: { 'register-id': 'till-loop' } })).status);
      clock.ms += 250;
    }
    // The looping register: its burst of 40 (30 in the first 250 ms, 10 left), then 20/s (5 a tick).
    const looped = 30 + (10 + 5);
    expect(statuses.get(404)).toBe(2000 + looped);
    expect(statuses.get(429)).toBe(2 * 30 - looped);
  }, 120_000);
});

describe('failed logins per (client address, username), and per address (LOGIN_FAILURE_LIMIT, LOGIN_FAILURE_ADDRESS_LIMIT, LOGIN_FAILURE_WINDOW_MS)', () => {
  let api: Api;
  beforeEach(async () => {
    api = await startApi({
      env: { SPI_CREDENTIALS: CREDENTIALS, LOGIN_FAILURE_LIMIT: '3', LOGIN_FAILURE_ADDRESS_LIMIT: '5', LOGIN_FAILURE_WINDOW_MS: '60000', TRUST_PROXY: 'true' },
      clock,
    });
  });
  afterEach(() => api.close());

  const from = (ip: string) => ({ 'x-forwarded-for': ip });
  const status = async (auth: string | null, ip: string) => (await api.request('GET', '/payments/x', { auth, headers: from(ip) })).status;

  test('after 3 wrong passwords → 429 with Retry-After, even for the right password (a hit looks like a miss)', async () => {
    for (let i = 0; i < 3; i++) expect((await api.request('GET', '/payments/x', { auth: `demo:guess-${i}`, headers: from('203.0.113.7') })).status).toBe(401);
    expectTooMany(await api.request('GET', '/payments/x', { auth: 'demo:guess-3', headers: from('203.0.113.7') }), 20);
    expectTooMany(await api.request('GET', '/payments/x', { auth: 'demo:demo', headers: from('203.0.113.7') }), 20);
  });

  test('the limit is per address: another client with the right password is not held up', async () => {
    for (let i = 0; i < 5; i++) await api.request('GET', '/payments/x', { auth: 'demo:wrong', headers: from('203.0.113.7') });
    expect((await api.request('GET', '/payments/x', { auth: 'demo:demo', headers: from('198.51.100.1') })).status).toBe(404);
  });

  test('the limit is per username: a blocked pair holds back no other username from the same address, of its merchant or another', async () => {
    for (let i = 0; i < 3; i++) expect(await status('demo:wrong', '203.0.113.10')).toBe(401);
    expect(await status('demo:demo', '203.0.113.10')).toBe(429);
    expect(await status('demo-2:demo-2-secret', '203.0.113.10')).toBe(404);
    expect(await status('other:other-secret', '203.0.113.10')).toBe(404);
  });

  test('the window refills: one more try after LOGIN_FAILURE_WINDOW_MS / LOGIN_FAILURE_LIMIT', async () => {
    for (let i = 0; i < 3; i++) await api.request('GET', '/payments/x', { auth: 'demo:wrong', headers: from('203.0.113.8') });
    clock.ms += 20_000;
    expect((await api.request('GET', '/payments/x', { auth: 'demo:demo', headers: from('203.0.113.8') })).status).toBe(404);
  });

  test('a right password between guesses resets nothing: wrong, wrong, right, wrong → the pair is blocked', async () => {
    expect(await status('demo:wrong-1', '203.0.113.11')).toBe(401);
    expect(await status('demo:wrong-2', '203.0.113.11')).toBe(401);
    expect(await status('demo:demo', '203.0.113.11')).toBe(404);
    expect(await status('demo:wrong-3', '203.0.113.11')).toBe(401);
    expect(await status('demo:demo', '203.0.113.11')).toBe(429);
  });

  test('guesses across many usernames → past LOGIN_FAILURE_ADDRESS_LIMIT every username new to the address gets 429; one that logged in there keeps working', async () => {
    expect(await status('demo:demo', '203.0.113.12')).toBe(404);
    for (let i = 0; i < 5; i++) expect(await status(`user-${i}:guess`, '203.0.113.12')).toBe(401);
    expectTooMany(await api.request('GET', '/payments/x', { auth: 'user-5:guess', headers: from('203.0.113.12') }), 12);
    // The right password of a username that has not logged in from here looks like a guess.
    expectTooMany(await api.request('GET', '/payments/x', { auth: 'other:other-secret', headers: from('203.0.113.12') }), 12);
    expect(await status('demo:demo', '203.0.113.12')).toBe(404);
    expect(await status('other:other-secret', '198.51.100.2')).toBe(404);
    // The address ceiling refills like the pairs: one more username after window / limit.
    clock.ms += 12_000;
    expect(await status('other:other-secret', '203.0.113.12')).toBe(404);
  });

  test('unknown usernames and malformed headers count against the address; requests without credentials do not count at all', async () => {
    for (let i = 0; i < 8; i++) expect(await status(null, '203.0.113.9')).toBe(401);
    expect(await status('other:other-secret', '203.0.113.9')).toBe(404);
    clock.ms += 60_000; // long enough that "other" is no longer known at this address
    for (const who of ['nobody:x', 'nobody-2:x', 'nobody-3:x']) expect(await status(who, '203.0.113.9')).toBe(401);
    expect((await api.request('GET', '/payments/x', { auth: null, headers: { ...from('203.0.113.9'), authorization: 'Bearer x' } })).status).toBe(401);
    expect(await status('demo:nope', '203.0.113.9')).toBe(401);
    expect(await status('demo-2:demo-2-secret', '203.0.113.9')).toBe(429);
    expect(await status(null, '203.0.113.9')).toBe(401);
  });

  test('every refused login → one log line with the address, the username and the reason (no password), and /metrics counts it by reason', async () => {
    await status(null, '203.0.113.20');
    await api.request('GET', '/payments/x', { auth: null, headers: { ...from('203.0.113.20'), authorization: 'Bearer x' } });
    await status('nobody:pw-nobody', '203.0.113.20');
    for (let i = 0; i < 3; i++) await status(`demo:pw-wrong-${i}`, '203.0.113.20');
    await status('demo:demo', '203.0.113.20');
    const lines = api.logs.map((l) => JSON.parse(l) as Record<string, unknown>).filter((l) => l.msg === 'login refused');
    expect(lines.map(({ clientAddress, username, reason, retryAfterS }) => ({ clientAddress, username, reason, retryAfterS }))).toEqual([
      { clientAddress: '203.0.113.20', username: null, reason: 'missing', retryAfterS: undefined },
      { clientAddress: '203.0.113.20', username: null, reason: 'malformed', retryAfterS: undefined },
      { clientAddress: '203.0.113.20', username: 'nobody', reason: 'unknown-user', retryAfterS: undefined },
      ...[0, 1, 2].map(() => ({ clientAddress: '203.0.113.20', username: 'demo', reason: 'wrong-password', retryAfterS: undefined })),
      { clientAddress: '203.0.113.20', username: 'demo', reason: 'pair-blocked', retryAfterS: 20 },
    ]);
    for (const line of lines) expect(line).toMatchObject({ level: 40, requestId: expect.any(String) });
    expect(api.logs.join('\n')).not.toMatch(/pw-/);

    const metrics = (await api.request('GET', '/metrics', { auth: null })).body as string;
    const count = (reason: string) => Number(new RegExp(`^spi_login_refusals_total\\{reason="${reason}"\\} (\\d+)$`, 'm').exec(metrics)?.[1]);
    expect(['missing', 'malformed', 'unknown-user', 'wrong-password', 'pair-blocked', 'address-blocked'].map(count)).toEqual([1, 1, 1, 3, 1, 0]);
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
