import { basic, startApi, saleBody, type Api } from '../__fixtures__/harness';
import { createAuthenticator, hashPassword } from './authenticator';

let api: Api;
let scryptPassword: string;
beforeAll(async () => {
  scryptPassword = await hashPassword('s3cret-for-scrypt');
  api = await startApi({
    env: {
      SPI_CREDENTIALS: JSON.stringify([
        { username: 'demo', password: 'demo', merchant: 'demo' },
        { username: 'hashed', password: scryptPassword, merchant: 'hashed-merchant' },
        { username: 'rotating', passwords: ['the-new-password', 'the-old-password'], merchant: 'demo' },
      ]),
    },
  });
});
afterAll(() => api.close());

function expectUnauthorized(res: { status: number; headers: Headers; body: any }) { // eslint-disable-line @typescript-eslint/no-explicit-any
  expect(res.status).toBe(401);
  expect(res.headers.get('www-authenticate')).toBe('Basic realm="sitoo-payments"');
  expect(res.body).toEqual({
    error_code: 'unauthorized',
    error_data: { message: expect.any(String) },
    request_id: res.headers.get('x-request-id'),
  });
}

describe('HTTP Basic auth on the SPI routes', () => {
  test('POST /payments without Authorization → 401 with the error body and WWW-Authenticate', async () => {
    expectUnauthorized(await api.request('POST', '/payments', { body: saleBody(), auth: null }));
  });

  test('GET /payments/{id} with a wrong password → 401', async () => {
    expectUnauthorized(await api.request('GET', '/payments/abc', { auth: 'demo:wrong' }));
  });

  test('PUT /payment/{id} with an unknown user → 401', async () => {
    expectUnauthorized(await api.request('PUT', '/payment/abc', { body: { state: 'completed' }, auth: 'nobody:demo' }));
  });

  test('a Bearer token instead of Basic → 401', async () => {
    const res = await api.request('GET', '/payments/abc', { auth: null, headers: { authorization: 'Bearer demo' } });
    expectUnauthorized(res);
  });

  test('a scrypt$<salt>$<hash> password → 200 with the right password, 401 with a wrong one', async () => {
    const ok = await api.request('POST', '/payments', { body: saleBody(), auth: 'hashed:s3cret-for-scrypt' });
    expect(ok.status).toBe(200);
    expect(api.fake.payment(ok.body).input.merchant).toBe('hashed-merchant');
    expectUnauthorized(await api.request('POST', '/payments', { body: saleBody(), auth: 'hashed:s3cret-for-scryp' }));
  });

  test('a credential with two passwords (a rotation under way) → either opens it, nothing else does', async () => {
    expect((await api.request('GET', '/payments/abc', { auth: 'rotating:the-new-password' })).status).toBe(404);
    expect((await api.request('GET', '/payments/abc', { auth: 'rotating:the-old-password' })).status).toBe(404);
    expectUnauthorized(await api.request('GET', '/payments/abc', { auth: 'rotating:the-older-password' }));
    expectUnauthorized(await api.request('GET', '/payments/abc', { auth: 'demo:the-new-password' }));
  });

  test('a wrong password is checked before the body: 401, nothing started', async () => {
    api.fake.calls.length = 0;
    expectUnauthorized(await api.request('POST', '/payments', { body: '{broken', auth: 'demo:nope' }));
    expect(api.fake.calls).toEqual([]);
  });

  test('the unauthenticated endpoints need no credentials', async () => {
    for (const path of ['/healthz', '/metrics', '/openapi.json']) {
      expect((await api.request('GET', path, { auth: null })).status).toBe(200);
    }
  });
});

describe('createAuthenticator', () => {
  const credentials = [
    { username: 'a', passwords: ['pa'], merchant: 'ma' },
    { username: 'b', passwords: ['pb'], merchant: 'mb' },
  ];

  test('each credential → its own merchant', async () => {
    const auth = createAuthenticator(credentials);
    expect(await auth(basic('a:pa'))).toEqual({ username: 'a', merchant: 'ma' });
    expect(await auth(basic('b:pb'))).toEqual({ username: 'b', merchant: 'mb' });
  });

  test('another user\'s password → null', async () => {
    const auth = createAuthenticator(credentials);
    expect(await auth(basic('a:pb'))).toBeNull();
  });

  test('a password containing ":" → split at the first colon only', async () => {
    const auth = createAuthenticator([{ username: 'u', passwords: ['p:q'], merchant: 'm' }]);
    expect(await auth(basic('u:p:q'))).toEqual({ username: 'u', merchant: 'm' });
  });

  test('a malformed header → null', async () => {
    const auth = createAuthenticator(credentials);
    for (const header of [undefined, '', 'Basic', 'Basic !!!', `Basic ${Buffer.from('nocolon').toString('base64')}`]) {
      expect(await auth(header)).toBeNull();
    }
  });

  test('two passwords, one hashed and one plain → each opens; neither opens another credential', async () => {
    const hashed = await hashPassword('new-one');
    const auth = createAuthenticator([
      { username: 'r', passwords: [hashed, 'old-one'], merchant: 'mr' },
      { username: 's', passwords: ['ps'], merchant: 'ms' },
    ]);
    expect(await auth(basic('r:new-one'))).toEqual({ username: 'r', merchant: 'mr' });
    expect(await auth(basic('r:old-one'))).toEqual({ username: 'r', merchant: 'mr' });
    expect(await auth(basic('s:old-one'))).toBeNull();
    expect(await auth(basic('r:ps'))).toBeNull();
    expect(await auth(basic(`r:${hashed}`))).toBeNull();
  });

  test('a malformed scrypt entry → never matches', async () => {
    const auth = createAuthenticator([{ username: 'u', passwords: ['scrypt$zz$zz'], merchant: 'm' }]);
    expect(await auth(basic('u:scrypt$zz$zz'))).toBeNull();
  });

  test('hashPassword → scrypt$<salt-hex>$<hash-hex>, salted differently each time', async () => {
    const a = await hashPassword('x');
    const b = await hashPassword('x');
    expect(a).toMatch(/^scrypt\$[0-9a-f]{32}\$[0-9a-f]{64}$/);
    expect(a).not.toBe(b);
  });
});
