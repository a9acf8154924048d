import { execFileSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { problemOf } from './__fixtures__/config-problem';
import { loadApiConfig } from './index';

const problem = problemOf(loadApiConfig);

let dir: string;
/** A self-signed pair made by openssl for this run, and a second key that matches no certificate. */
const files = { cert: '', key: '', otherKey: '', junk: '' };

beforeAll(() => {
  dir = fs.mkdtempSync(path.join(os.tmpdir(), 'config-tls-'));
  Object.assign(files, {
    cert: path.join(dir, 'cert.pem'),
    key: path.join(dir, 'key.pem'),
    otherKey: path.join(dir, 'other-key.pem'),
    junk: path.join(dir, 'junk.pem'),
  });
  const ec = ['-newkey', 'ec', '-pkeyopt', 'ec_paramgen_curve:prime256v1', '-nodes'];
  execFileSync('openssl', ['req', '-x509', ...ec, '-keyout', files.key, '-out', files.cert, '-subj', '/CN=localhost', '-days', '1'], { stdio: 'ignore' });
  execFileSync('openssl', ['genpkey', '-algorithm', 'EC', '-pkeyopt', 'ec_paramgen_curve:prime256v1', '-out', files.otherKey], { stdio: 'ignore' });
  fs.writeFileSync(files.junk, 'not a pem\n');
});
afterAll(() => fs.rmSync(dir, { recursive: true, force: true }));

test('security defaults: plain HTTP, 10 000 requests/s (burst 20 000) per credential and 20 (burst 40) per register, 10 failed logins a minute per address and username, 100 per address, no callbacks', () => {
  expect(loadApiConfig({}).security).toEqual({
    tls: null,
    trustProxy: false,
    rateLimit: { perSecond: 10_000, burst: 20_000 },
    registerRateLimit: { perSecond: 20, burst: 40 },
    loginFailures: { limit: 10, windowMs: 60_000, addressLimit: 100 },
    acquirerCallback: { secret: null, toleranceMs: 300_000 },
  });
});

test('TLS_CERT_FILE and TLS_KEY_FILE of a matching pair → both paths in the config', () => {
  expect(loadApiConfig({ TLS_CERT_FILE: files.cert, TLS_KEY_FILE: files.key }).security.tls).toEqual({ certFile: files.cert, keyFile: files.key });
});

test.each([
  [() => ({ TLS_CERT_FILE: files.cert }), /^TLS_KEY_FILE: is required when TLS_CERT_FILE is set/],
  [() => ({ TLS_KEY_FILE: files.key }), /^TLS_CERT_FILE: is required when TLS_KEY_FILE is set/],
  [() => ({ TLS_CERT_FILE: path.join(dir, 'missing.pem'), TLS_KEY_FILE: files.key }), /^TLS_CERT_FILE: cannot be read: ENOENT/],
  [() => ({ TLS_CERT_FILE: files.cert, TLS_KEY_FILE: path.join(dir, 'missing.pem') }), /^TLS_KEY_FILE: cannot be read: ENOENT/],
  [() => ({ TLS_CERT_FILE: files.junk, TLS_KEY_FILE: files.key }), /^TLS_CERT_FILE: is not a PEM certificate/],
  [() => ({ TLS_CERT_FILE: files.cert, TLS_KEY_FILE: files.junk }), /^TLS_KEY_FILE: is not a PEM private key/],
  [() => ({ TLS_CERT_FILE: files.cert, TLS_KEY_FILE: files.otherKey }), /^TLS_KEY_FILE: is not a PEM private key matching TLS_CERT_FILE/],
])('a TLS setting that cannot serve → one line naming the variable (%#)', (env, message) => {
  expect(problem(env())).toMatch(message);
});

test.each([
  [{ RATE_LIMIT_PER_SECOND: '-1' }, 'RATE_LIMIT_PER_SECOND'],
  [{ RATE_LIMIT_BURST: '0' }, 'RATE_LIMIT_BURST'],
  [{ REGISTER_RATE_LIMIT_PER_SECOND: '2.5' }, 'REGISTER_RATE_LIMIT_PER_SECOND'],
  [{ REGISTER_RATE_LIMIT_BURST: '0' }, 'REGISTER_RATE_LIMIT_BURST'],
  [{ LOGIN_FAILURE_LIMIT: 'many' }, 'LOGIN_FAILURE_LIMIT'],
  [{ LOGIN_FAILURE_WINDOW_MS: '10' }, 'LOGIN_FAILURE_WINDOW_MS'],
  [{ LOGIN_FAILURE_ADDRESS_LIMIT: '-3' }, 'LOGIN_FAILURE_ADDRESS_LIMIT'],
  [{ TRUST_PROXY: 'yes' }, 'TRUST_PROXY'],
  [{ ACQUIRER_CALLBACK_SECRET: 'short' }, 'ACQUIRER_CALLBACK_SECRET'],
  [{ ACQUIRER_CALLBACK_TOLERANCE_S: '0' }, 'ACQUIRER_CALLBACK_TOLERANCE_S'],
])('a bad security value stops the process with a line naming the variable: %j', (env, variable) => {
  expect(problem(env)).toMatch(new RegExp(`^${variable}: `));
});

test('limits, proxy trust and the callback secret as given; 0 turns a limit off', () => {
  const s = loadApiConfig({
    RATE_LIMIT_PER_SECOND: '0',
    RATE_LIMIT_BURST: '5',
    REGISTER_RATE_LIMIT_PER_SECOND: '0',
    REGISTER_RATE_LIMIT_BURST: '7',
    LOGIN_FAILURE_LIMIT: '3',
    LOGIN_FAILURE_WINDOW_MS: '5000',
    LOGIN_FAILURE_ADDRESS_LIMIT: '0',
    TRUST_PROXY: 'true',
    ACQUIRER_CALLBACK_SECRET: 'x'.repeat(32),
    ACQUIRER_CALLBACK_TOLERANCE_S: '60',
  }).security;
  expect(s).toMatchObject({
    trustProxy: true,
    rateLimit: { perSecond: 0, burst: 5 },
    registerRateLimit: { perSecond: 0, burst: 7 },
    loginFailures: { limit: 3, windowMs: 5000, addressLimit: 0 },
    acquirerCallback: { secret: 'x'.repeat(32), toleranceMs: 60_000 },
  });
});
