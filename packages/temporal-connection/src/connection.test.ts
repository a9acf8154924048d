import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { ConfigError, loadWorkerConfig } from '@payments/config';
import { temporalConnectionOptions } from './connection';

const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'temporal-connection-'));
afterAll(() => fs.rmSync(dir, { recursive: true, force: true }));
const file = (name: string, text: string) => {
  const p = path.join(dir, name);
  fs.writeFileSync(p, text);
  return p;
};
const CERT = file('client.pem', '-----BEGIN CERTIFICATE-----\nclient\n-----END CERTIFICATE-----\n');
const KEY = file('client.key', '-----BEGIN PRIVATE KEY-----\nkey\n-----END PRIVATE KEY-----\n');
const CA = file('ca.pem', '-----BEGIN CERTIFICATE-----\nca\n-----END CERTIFICATE-----\n');

/** The options as main.ts gets them: from the process's config, which picks the declared variables from the environment. */
const optionsFor = (env: Record<string, string>) => temporalConnectionOptions(loadWorkerConfig(env));
const bytes = (p: string) => new Uint8Array(fs.readFileSync(p));
const problem = (env: Record<string, string>) => {
  try {
    optionsFor(env);
  } catch (err) {
    if (err instanceof ConfigError) return err.message;
    throw err;
  }
  return null;
};

test('no TLS variables → plaintext to TEMPORAL_ADDRESS, as the dev server wants', () => {
  expect(optionsFor({})).toEqual({ address: '127.0.0.1:7233' });
  expect(optionsFor({ TEMPORAL_ADDRESS: 'temporal.internal:7233', TEMPORAL_TLS: '' })).toEqual({ address: 'temporal.internal:7233' });
});

test('TEMPORAL_API_KEY (Temporal Cloud) → the key, with TLS on', () => {
  const o = optionsFor({ TEMPORAL_ADDRESS: 'eu-west-1.aws.api.temporal.io:7233', TEMPORAL_NAMESPACE: 'payments.a1b2c', TEMPORAL_API_KEY: 'secret-key' });
  expect(o).toEqual({ address: 'eu-west-1.aws.api.temporal.io:7233', apiKey: 'secret-key', tls: true });
});

test('TEMPORAL_API_KEY with TEMPORAL_TLS=false → the key over plaintext (e.g. a local TLS-terminating proxy)', () => {
  expect(optionsFor({ TEMPORAL_API_KEY: 'k', TEMPORAL_TLS: 'false' })).toEqual({ address: '127.0.0.1:7233', apiKey: 'k', tls: false });
});

test('TEMPORAL_TLS_CLIENT_CERT_PATH + KEY_PATH + SERVER_CA_CERT_PATH + SERVER_NAME → mTLS with the files’ bytes', () => {
  const o = optionsFor({
    TEMPORAL_ADDRESS: 'temporal.internal:7233',
    TEMPORAL_TLS_CLIENT_CERT_PATH: CERT,
    TEMPORAL_TLS_CLIENT_KEY_PATH: KEY,
    TEMPORAL_TLS_SERVER_CA_CERT_PATH: CA,
    TEMPORAL_TLS_SERVER_NAME: 'frontend.temporal',
  });
  expect(o.address).toBe('temporal.internal:7233');
  expect(o.apiKey).toBeUndefined();
  expect(o.tls).toMatchObject({
    serverNameOverride: 'frontend.temporal',
    serverRootCACertificate: bytes(CA),
    clientCertPair: { crt: bytes(CERT), key: bytes(KEY) },
  });
});

test('certificates given inline (…_DATA) → the same mTLS options', () => {
  const o = optionsFor({ TEMPORAL_TLS_CLIENT_CERT_DATA: fs.readFileSync(CERT, 'utf8'), TEMPORAL_TLS_CLIENT_KEY_DATA: fs.readFileSync(KEY, 'utf8') });
  expect(o.tls).toMatchObject({ clientCertPair: { crt: bytes(CERT), key: bytes(KEY) } });
});

test('TEMPORAL_TLS=true alone → TLS with the system’s CAs', () => {
  const o = optionsFor({ TEMPORAL_TLS: 'true' });
  expect(o.tls).toBeTruthy();
  expect(o.tls).not.toHaveProperty('clientCertPair.crt');
});

test('TEMPORAL_GRPC_META_<NAME> → a gRPC header', () => {
  expect(optionsFor({ TEMPORAL_GRPC_META_X_TENANT: 'acme' }).metadata).toEqual({ 'x-tenant': 'acme' });
});

test.each([
  [{ TEMPORAL_TLS_CLIENT_CERT_PATH: CERT }, /^TEMPORAL_TLS_CLIENT_KEY_PATH: is required/],
  [{ TEMPORAL_TLS_CLIENT_KEY_PATH: KEY }, /^TEMPORAL_TLS_CLIENT_CERT_PATH: is required/],
  [{ TEMPORAL_TLS_SERVER_CA_CERT_PATH: path.join(dir, 'missing.pem') }, /^TEMPORAL_TLS_SERVER_CA_CERT_PATH: cannot read/],
  [{ TEMPORAL_TLS_SERVER_CA_CERT_PATH: CA, TEMPORAL_TLS_SERVER_CA_CERT_DATA: 'x' }, /^TEMPORAL_TLS_SERVER_CA_CERT_PATH: set either/],
  [{ TEMPORAL_TLS: 'yes' }, /^TEMPORAL_TLS: must be true or false/],
  [{ TEMPORAL_TLS: 'false', TEMPORAL_TLS_SERVER_CA_CERT_PATH: CA }, /^TEMPORAL_TLS: is false, but/],
  [{ TEMPORAL_TLS_DISABLE_HOST_VERIFICATION: 'true' }, /^TEMPORAL_TLS_DISABLE_HOST_VERIFICATION: is not supported/],
  [{ TEMPORAL_CODEC_ENDPOINT: 'https://codec' }, /^TEMPORAL_CODEC_ENDPOINT: is not supported/],
  [{ TEMPORAL_PROFILE: 'prod' }, /^TEMPORAL_PROFILE: needs TEMPORAL_CONFIG_FILE/],
  [{ TEMPORAL_CONFIG_FILE: path.join(dir, 'none.toml') }, /^TEMPORAL_CONFIG_FILE: cannot read/],
])('a bad or contradictory value stops the process with a line naming the variable: %j', (env, message) => {
  expect(problem(env)).toMatch(message);
});

describe('a TOML profile named by TEMPORAL_CONFIG_FILE', () => {
  const toml = file(
    'temporal.toml',
    ['[profile.default]', 'address = "127.0.0.1:7233"', '', '[profile.prod]', 'address = "prod.tmprl.cloud:7233"', 'namespace = "payments.prod"', 'api_key = "from-file"', ''].join('\n'),
  );

  test('contributes the API key when its address and namespace agree with the environment', () => {
    const o = optionsFor({ TEMPORAL_CONFIG_FILE: toml, TEMPORAL_PROFILE: 'prod', TEMPORAL_ADDRESS: 'prod.tmprl.cloud:7233', TEMPORAL_NAMESPACE: 'payments.prod' });
    expect(o).toEqual({ address: 'prod.tmprl.cloud:7233', apiKey: 'from-file', tls: true });
  });

  test('naming another address than TEMPORAL_ADDRESS → stops, naming TEMPORAL_ADDRESS', () => {
    expect(problem({ TEMPORAL_CONFIG_FILE: toml, TEMPORAL_PROFILE: 'prod' })).toMatch(/^TEMPORAL_ADDRESS: is 127.0.0.1:7233, but the profile .* names prod.tmprl.cloud:7233/);
  });

  test('a profile that is not in the file → stops, naming TEMPORAL_CONFIG_FILE', () => {
    expect(problem({ TEMPORAL_CONFIG_FILE: toml, TEMPORAL_PROFILE: 'nope' })).toMatch(/^TEMPORAL_CONFIG_FILE: Profile 'nope' not found/);
  });

  test('no default file is read without TEMPORAL_CONFIG_FILE (a stray ~/.config/temporalio/temporal.toml changes nothing)', () => {
    const home = fs.mkdtempSync(path.join(dir, 'home-'));
    fs.mkdirSync(path.join(home, '.config', 'temporalio'), { recursive: true });
    fs.writeFileSync(path.join(home, '.config', 'temporalio', 'temporal.toml'), '[profile.default]\napi_key = "stray"\n');
    expect(optionsFor({ HOME: home })).toEqual({ address: '127.0.0.1:7233' });
  });
});
