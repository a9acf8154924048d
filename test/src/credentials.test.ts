// Credentials a retailer can operate, through the real processes: a store behind one public
// address keeps paying while one of its registers has a wrong password, or while someone on its
// network guesses usernames; a register looping on the SPI is stopped alone; a password is
// rotated with SIGHUP and SPI_CREDENTIALS_FILE, without a restart and without a register being
// refused. The API trusts X-Forwarded-For here (as behind a proxy), so each test puts its
// registers behind an address of its own.
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { Register, ledger, paymentRequest, type Reply } from './support/register';
import { System, eventually, sleep } from './support/system';

const ARTIFACTS = path.resolve(__dirname, '..', 'artifacts');
const STORE = { username: 'store-1', password: 'store-1-password-0123' };
const CONCESSION = { username: 'concession', password: 'concession-password-0123' };
const ROTATING = { username: 'rotating', old: 'rotating-old-password', new: 'rotating-new-password' };

let system: System;
let dir: string;
let file: string;

const writeCredentials = (rotatingPasswords: string[]) =>
  fs.writeFileSync(
    file,
    JSON.stringify([
      { ...STORE, merchant: 'store-1' },
      { ...CONCESSION, merchant: 'concession' },
      { username: ROTATING.username, passwords: rotatingPasswords, merchant: 'store-1' },
    ]),
  );

/** Where this run's lines start in the API's log (the file is appended to across runs). */
let logStart = 0;

beforeAll(async () => {
  const log = path.join(ARTIFACTS, `credentials-api.log`);
  logStart = fs.existsSync(log) ? fs.statSync(log).size : 0;
  dir = fs.mkdtempSync(path.join(os.tmpdir(), 'e2e-credentials-'));
  file = path.join(dir, 'credentials.json');
  writeCredentials([ROTATING.new, ROTATING.old]);
  system = await System.start({ env: { SPI_CREDENTIALS_FILE: file, TRUST_PROXY: 'true', LOG_LEVEL: 'info' } });
});
afterAll(async () => {
  await system?.stop();
  fs.rmSync(dir, { recursive: true, force: true });
});

/** The API's log lines of this run so far, parsed. */
function apiLog(): Record<string, unknown>[] {
  return fs
    .readFileSync(path.join(ARTIFACTS, `${system.logName}-api.log`))
    .subarray(logStart)
    .toString('utf8')
    .split('\n')
    .filter((l) => l.startsWith('{'))
    .map((l) => JSON.parse(l) as Record<string, unknown>);
}

/** spi_login_refusals_total by reason, from the API's /metrics. */
async function refusals(): Promise<Record<string, number>> {
  const text = await (await fetch(`${system.apiUrl}/metrics`)).text();
  const out: Record<string, number> = {};
  for (const m of text.matchAll(/^spi_login_refusals_total\{reason="([a-z-]+)"\} (\d+)$/gm)) out[m[1]!] = Number(m[2]);
  return out;
}

/** A call retried on 503 as the register does (Temporal busy past the API's deadline on this shared machine). */
async function retried(call: () => Promise<Reply<any>>): Promise<Reply<any>> { // eslint-disable-line @typescript-eslint/no-explicit-any
  for (let attempt = 1; ; attempt++) {
    const reply = await call();
    if (reply.status !== 503 || attempt === 20) return reply;
    await sleep(250);
  }
}

/** A sale from start to completed, as the register sees it; resolves to what the acquirer captured. */
async function pay(register: Register, amount: string, posid: string): Promise<number | undefined> {
  const started = await retried(() => register.call('POST', '/payments', paymentRequest(amount, { posid })));
  expect(started.status).toBe(200);
  const id = started.body as string;
  await register.until(id, ['ready_to_complete'], 60_000);
  const done = await retried(() => register.put(id, 'completed'));
  expect(done.status).toBe(200);
  expect(done.body.paymentstate.state).toBe('completed');
  return (await ledger(system.simUrl, id))?.capturedMinor;
}

const range = (n: number) => Array.from({ length: n }, (_, i) => i);
const expectTooMany = (r: Reply) => {
  expect(r.status).toBe(429);
  expect(Number(r.headers.get('retry-after'))).toBeGreaterThanOrEqual(1);
  expect(r.body).toMatchObject({ error_code: 'too-many-requests' });
};

test('a whole store: 20 registers behind one address, one with a wrong password → it gets 401, then 429 with Retry-After; the other 19 pay', async () => {
  const SHOP = '198.51.100.20';
  const till = (i: number) => new Register(system.apiUrl, STORE, { 'x-forwarded-for': SHOP, 'register-id': `till-${i}` });
  // The twentieth register was set up with the shop-in-shop's username and a wrong password.
  const misconfigured = new Register(system.apiUrl, { ...CONCESSION, password: 'a-wrong-password' }, { 'x-forwarded-for': SHOP, 'register-id': 'till-20' });
  const before = await refusals();
  const started = Date.now();
  const tries: Reply[] = [];
  let looping = true;
  const loop = (async () => {
    while (looping) {
      tries.push(await misconfigured.call('POST', '/payments', paymentRequest('10.00', { posid: 'till-20' })));
      await sleep(50);
    }
  })();
  let captured: (number | undefined)[];
  try {
    await eventually(async () => tries.some((r) => r.status === 429), Boolean, 30_000);
    captured = await Promise.all(range(19).map((i) => pay(till(i), `${101 + i}.00`, `till-${i}`)));
  } finally {
    looping = false;
    await loop;
  }
  const seconds = (Date.now() - started) / 1000;

  expect(captured).toEqual(range(19).map((i) => (101 + i) * 100));
  // Ten wrong passwords, then 429; one more try each LOGIN_FAILURE_WINDOW_MS / LOGIN_FAILURE_LIMIT (6 s).
  expect(tries.slice(0, 10).map((r) => r.status)).toEqual(range(10).map(() => 401));
  expectTooMany(tries[10]!);
  expect(tries.every((r) => r.status === 401 || r.status === 429)).toBe(true);
  expect(tries.filter((r) => r.status === 401).length).toBeLessThanOrEqual(10 + Math.ceil(seconds / 6));
  // The blocked pair's right password looks like a wrong one; the same username elsewhere is not held up.
  expectTooMany(await new Register(system.apiUrl, CONCESSION, { 'x-forwarded-for': SHOP }).call('GET', '/payments/x'));
  expect((await new Register(system.apiUrl, CONCESSION, { 'x-forwarded-for': '203.0.113.99' }).call('GET', '/payments/x')).status).toBe(404);

  // Each refusal is counted by reason, and logged with the address and username, never the password.
  const after = await refusals();
  expect(after['wrong-password']! - before['wrong-password']!).toBe(tries.filter((r) => r.status === 401).length);
  expect(after['pair-blocked']! - before['pair-blocked']!).toBe(tries.filter((r) => r.status === 429).length + 1);
  const logged = await eventually(
    async () => apiLog().filter((l) => l.msg === 'login refused' && l.clientAddress === SHOP),
    (lines) => lines.length >= tries.length + 1,
    5000,
  );
  expect(logged.length).toBe(tries.length + 1);
  expect(logged[0]).toMatchObject({ level: 40, username: 'concession', reason: 'wrong-password' });
  expect(logged[10]).toMatchObject({ username: 'concession', reason: 'pair-blocked', retryAfterS: expect.any(Number) });
  expect(JSON.stringify(apiLog())).not.toContain('a-wrong-password');
});

test('someone on the shop’s network guesses across many usernames → past 100 failures the address is held for new usernames; the store keeps paying', async () => {
  const SHOP = '198.51.100.30';
  const store = new Register(system.apiUrl, STORE, { 'x-forwarded-for': SHOP, 'register-id': 'till-1' });
  expect(await pay(store, '120.00', 'till-1')).toBe(12000);

  const started = Date.now();
  const guesses: number[] = [];
  for (const i of range(150)) {
    guesses.push((await new Register(system.apiUrl, { username: `user-${i}`, password: 'guess' }, { 'x-forwarded-for': SHOP }).call('GET', '/payments/x')).status);
  }
  const seconds = (Date.now() - started) / 1000;
  expect(guesses.slice(0, 100)).toEqual(range(100).map(() => 401));
  // The ceiling refills at 100 a minute: a few more get through while the guesses are sent.
  expect(guesses.filter((s) => s === 401).length).toBeLessThanOrEqual(100 + Math.ceil((seconds * 100) / 60));
  expect(guesses.filter((s) => s === 429).length).toBeGreaterThan(0);
  expect(guesses.every((s) => s === 401 || s === 429)).toBe(true);

  // A credential that has not logged in from here is held, its right password included; the
  // store's, which has, keeps paying.
  expectTooMany(await new Register(system.apiUrl, CONCESSION, { 'x-forwarded-for': SHOP }).call('GET', '/payments/x'));
  expect(await pay(store, '121.00', 'till-1')).toBe(12100);
  expect((await new Register(system.apiUrl, CONCESSION, { 'x-forwarded-for': '203.0.113.98' }).call('GET', '/payments/x')).status).toBe(404);
  expect((await refusals())['address-blocked']).toBeGreaterThan(0);
});

test('a right password between wrong ones resets nothing: 9 wrong, 1 right, 1 wrong → the pair is blocked, its right password included', async () => {
  const at = { 'x-forwarded-for': '198.51.100.50' };
  const wrong = new Register(system.apiUrl, { ...STORE, password: 'not-the-password' }, at);
  const right = new Register(system.apiUrl, STORE, at);
  for (const _ of range(9)) expect((await wrong.call('GET', '/payments/x')).status).toBe(401);
  expect((await right.call('GET', '/payments/x')).status).toBe(404);
  expect((await wrong.call('GET', '/payments/x')).status).toBe(401);
  expectTooMany(await right.call('GET', '/payments/x'));
});

test('a register looping on GET gets 429 with Retry-After, alone: the 19 registers of its credential polling every 250 ms get none', async () => {
  const SHOP = '198.51.100.40';
  const tills = range(20).map((i) => new Register(system.apiUrl, STORE, { 'x-forwarded-for': SHOP, 'register-id': `loop-till-${i}` }));
  const ids = await Promise.all(
    tills.map(async (r, i) => {
      const started = await retried(() => r.call('POST', '/payments', paymentRequest(`${130 + i}.00`, { posid: `loop-till-${i}` })));
      expect(started.status).toBe(200);
      return started.body as string;
    }),
  );
  const until = Date.now() + 5000;
  const polled = Promise.all(
    tills.slice(1).map(async (r, i) => {
      const statuses: number[] = [];
      while (Date.now() < until) {
        statuses.push((await r.get(ids[i + 1]!)).status);
        await sleep(250);
      }
      return statuses;
    }),
  );
  // The looping register: eight calls in flight at any time, each sent as the last one returns.
  const looped: Reply[] = [];
  await Promise.all(
    range(8).map(async () => {
      while (Date.now() < until) looped.push(await tills[0]!.get(ids[0]!));
    }),
  );

  const statuses = (await polled).flat();
  expect(statuses.length).toBeGreaterThan(19 * 5);
  expect(statuses.every((s) => s === 200)).toBe(true);
  expect(looped.length).toBeGreaterThan(200);
  expect(looped.every((r) => r.status === 200 || r.status === 429)).toBe(true);
  expectTooMany(looped.find((r) => r.status === 429)!);
  // 40 at once, then 20 a second: about 140 in five seconds, the rest refused.
  const answered = looped.filter((r) => r.status === 200).length;
  expect(answered).toBeGreaterThanOrEqual(40);
  expect(answered).toBeLessThanOrEqual(40 + 20 * 6);
  await sleep(2000); // the looping register's bucket refills, so its PUT is taken too
  await Promise.all(tills.map((r, i) => r.put(ids[i]!, 'cancelled')));
});

test('password rotation: two passwords while the registers move, then SIGHUP drops the old one; a bad file changes nothing', async () => {
  const onOld = new Register(system.apiUrl, { username: ROTATING.username, password: ROTATING.old }, { 'register-id': 'rot-old' });
  const onNew = new Register(system.apiUrl, { username: ROTATING.username, password: ROTATING.new }, { 'register-id': 'rot-new' });
  expect(await pay(onOld, '140.00', 'rot-old')).toBe(14000);
  expect(await pay(onNew, '141.00', 'rot-new')).toBe(14100);

  // Every register is on the new password: the operator takes the old one out and sends SIGHUP.
  writeCredentials([ROTATING.new]);
  system.notify('api', 'SIGHUP');
  const refused = await eventually(() => onOld.call('GET', '/payments/x'), (r) => r.status === 401, 10_000);
  expect(refused.body).toMatchObject({ error_code: 'unauthorized' });
  expect(await pay(onNew, '142.00', 'rot-new')).toBe(14200);
  expect(apiLog().filter((l) => l.msg === 'credentials re-read from SPI_CREDENTIALS_FILE')).toHaveLength(1);

  // A broken file: the credentials in use stay, and one line says why.
  fs.writeFileSync(file, '[{"username": "rotating", "passwords": ');
  system.notify('api', 'SIGHUP');
  const problem = await eventually(
    async () => apiLog().filter((l) => typeof l.msg === 'string' && l.msg.startsWith('credentials not re-read')),
    (lines) => lines.length > 0,
    10_000,
  );
  expect(problem).toEqual([expect.objectContaining({ level: 50, problem: 'SPI_CREDENTIALS_FILE: is not valid JSON' })]);
  expect(await pay(onNew, '143.00', 'rot-new')).toBe(14300);
  expect((await onOld.call('GET', '/payments/x')).status).toBe(401);
  expect(system.isRunning('api')).toBe(true);
});
