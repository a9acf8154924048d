// The API process's security settings at start, as an operator meets them: the production guard
// on the dev credential, and HTTPS served directly from a cert and key (a self-signed pair
// made for this run, trusted by the client).
import { execFileSync, spawn } from 'node:child_process';
import * as fs from 'node:fs';
import { request } from 'node:https';
import * as os from 'node:os';
import * as path from 'node:path';
import { eventually, freePort } from './support/system';

const MAIN = path.resolve(__dirname, '..', '..', 'apps', 'api', 'dist', 'main.js');

interface Exited {
  code: number | null;
  stderr: string;
  stdout: string;
}

/** Runs the API's main.js with only the given environment; resolves when it exits (or kills it after `ms`). */
function runApi(env: Record<string, string>, ms = 10_000): { exited: Promise<Exited>; kill: () => void; output: () => string } {
  const child = spawn(process.execPath, [MAIN], { env: { PATH: process.env.PATH ?? '', LOG_LEVEL: 'info', ...env }, stdio: ['ignore', 'pipe', 'pipe'] });
  let stdout = '';
  let stderr = '';
  child.stdout.on('data', (c: Buffer) => (stdout += c.toString()));
  child.stderr.on('data', (c: Buffer) => (stderr += c.toString()));
  const timer = setTimeout(() => child.kill('SIGKILL'), ms);
  const exited = new Promise<Exited>((resolve) =>
    child.once('exit', (code) => {
      clearTimeout(timer);
      resolve({ code, stderr, stdout });
    }),
  );
  return { exited, kill: () => child.kill('SIGTERM'), output: () => stdout + stderr };
}

describe('NODE_ENV=production', () => {
  test('with the dev credential demo/demo → the API refuses to start, with one line naming SPI_CREDENTIALS', async () => {
    const { exited } = runApi({ NODE_ENV: 'production', SPI_CREDENTIALS: JSON.stringify([{ username: 'demo', password: 'demo', merchant: 'demo' }]) });
    const { code, stderr } = await exited;
    expect(code).toBe(78);
    expect(stderr.trim()).toBe('configuration error: SPI_CREDENTIALS: holds the dev credential demo/demo, refused when NODE_ENV=production');
  });

  test('without SPI_CREDENTIALS (so the dev default would apply) → refused, naming SPI_CREDENTIALS', async () => {
    const { code, stderr } = await runApi({ NODE_ENV: 'production' }).exited;
    expect(code).toBe(78);
    expect(stderr).toMatch(/^configuration error: SPI_CREDENTIALS: is required when NODE_ENV=production/);
  });
});

describe('SPI_CREDENTIALS_FILE', () => {
  test('a file that is not there → the API refuses to start, naming SPI_CREDENTIALS_FILE', async () => {
    const { code, stderr } = await runApi({ SPI_CREDENTIALS_FILE: path.join(os.tmpdir(), 'no-such-credentials.json') }).exited;
    expect(code).toBe(78);
    expect(stderr.trim()).toBe('configuration error: SPI_CREDENTIALS_FILE: cannot be read: ENOENT');
  });

  test('with NODE_ENV=production, a file holding demo/demo → refused, naming SPI_CREDENTIALS_FILE', async () => {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'e2e-creds-'));
    try {
      const file = path.join(dir, 'credentials.json');
      fs.writeFileSync(file, JSON.stringify([{ username: 'demo', passwords: ['a-new-long-secret', 'demo'], merchant: 'demo' }]));
      const { code, stderr } = await runApi({ NODE_ENV: 'production', SPI_CREDENTIALS_FILE: file }).exited;
      expect(code).toBe(78);
      expect(stderr.trim()).toBe('configuration error: SPI_CREDENTIALS_FILE: holds the dev credential demo/demo, refused when NODE_ENV=production');
    } finally {
      fs.rmSync(dir, { recursive: true, force: true });
    }
  });
});

describe('TLS_CERT_FILE and TLS_KEY_FILE', () => {
  let dir: string;
  let cert: string;
  let key: string;
  beforeAll(() => {
    dir = fs.mkdtempSync(path.join(os.tmpdir(), 'e2e-tls-'));
    cert = path.join(dir, 'cert.pem');
    key = path.join(dir, 'key.pem');
    execFileSync(
      'openssl',
      ['req', '-x509', '-newkey', 'rsa:2048', '-nodes', '-keyout', key, '-out', cert, '-days', '1', '-subj', '/CN=localhost', '-addext', 'subjectAltName=IP:127.0.0.1'],
      { stdio: 'ignore' },
    );
  });
  afterAll(() => fs.rmSync(dir, { recursive: true, force: true }));

  test('both set → the API process serves HTTPS, and says so when it starts', async () => {
    const port = await freePort();
    const api = runApi({ NODE_ENV: 'test', HOST: '127.0.0.1', PORT: String(port), TLS_CERT_FILE: cert, TLS_KEY_FILE: key }, 30_000);
    try {
      const get = () =>
        new Promise<number>((resolve, reject) => {
          const req = request({ host: '127.0.0.1', port, path: '/healthz', ca: fs.readFileSync(cert), agent: false }, (res) => {
            res.resume();
            resolve(res.statusCode ?? 0);
          });
          req.on('error', reject);
          req.end();
        });
      expect(await eventually(get, (status) => status === 200, 15_000)).toBe(200);
      expect(api.output()).toContain(`"url":"https://127.0.0.1:${port}"`);
    } finally {
      api.kill();
      await api.exited;
    }
  });

  test('only the cert → the API refuses to start, naming TLS_KEY_FILE', async () => {
    const { code, stderr } = await runApi({ TLS_CERT_FILE: cert }).exited;
    expect(code).toBe(78);
    expect(stderr.trim()).toBe('configuration error: TLS_KEY_FILE: is required when TLS_CERT_FILE is set');
  });
});
