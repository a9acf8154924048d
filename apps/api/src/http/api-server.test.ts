import { execFileSync } from 'node:child_process';
import * as fs from 'node:fs';
import { request as httpRequest } from 'node:http';
import { request as httpsRequest, type RequestOptions } from 'node:https';
import { connect, type AddressInfo } from 'node:net';
import * as os from 'node:os';
import * as path from 'node:path';
import type { Server } from 'node:http';
import pino from 'pino';
import { loadApiConfig } from '@payments/config';
import { createApiServer } from './api-server';
import { createApp } from '../app';
import { saleBody, basic } from '../__fixtures__/harness';
import { FakeTemporal } from '../__fixtures__/fake-temporal';

let dir: string;
let certFile: string;
let keyFile: string;

beforeAll(() => {
  // A self-signed pair made for this run: the certificate is its own CA, for 127.0.0.1 and localhost.
  dir = fs.mkdtempSync(path.join(os.tmpdir(), 'api-tls-'));
  certFile = path.join(dir, 'cert.pem');
  keyFile = path.join(dir, 'key.pem');
  execFileSync(
    'openssl',
    [
      'req', '-x509', '-newkey', 'ec', '-pkeyopt', 'ec_paramgen_curve:prime256v1', '-nodes',
      '-keyout', keyFile, '-out', certFile, '-days', '1', '-subj', '/CN=localhost',
      '-addext', 'subjectAltName=IP:127.0.0.1,DNS:localhost',
    ],
    { stdio: 'ignore' },
  );
});
afterAll(() => fs.rmSync(dir, { recursive: true, force: true }));

async function listen(env: Record<string, string>): Promise<{ server: Server; port: number; fake: FakeTemporal }> {
  const config = loadApiConfig(env);
  const fake = new FakeTemporal();
  const app = createApp({ config, temporal: { client: fake.client, taskQueue: 'payments' }, logger: pino({ level: 'silent' }) });
  const server = createApiServer(app.callback(), config.security.tls);
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  return { server, port: (server.address() as AddressInfo).port, fake };
}

const close = (server: Server) => new Promise<void>((resolve) => server.close(() => resolve()));

/** One HTTPS request with node:https, so the CA and the verification are explicit. */
function https(options: RequestOptions & { body?: string }): Promise<{ status: number; body: string; protocol: string }> {
  return new Promise((resolve, reject) => {
    const req = httpsRequest({ host: '127.0.0.1', agent: false, ...options }, (res) => {
      const protocol = (res.socket as { getProtocol?: () => string | null }).getProtocol?.() ?? '';
      let body = '';
      res.setEncoding('utf8');
      res.on('data', (c: string) => (body += c));
      res.on('end', () => resolve({ status: res.statusCode ?? 0, body, protocol }));
    });
    req.on('error', reject);
    req.end(options.body);
  });
}

describe('TLS_CERT_FILE + TLS_KEY_FILE → HTTPS', () => {
  let server: Server;
  let port: number;
  let fake: FakeTemporal;
  beforeAll(async () => {
    ({ server, port, fake } = await listen({ TLS_CERT_FILE: certFile, TLS_KEY_FILE: keyFile }));
  });
  afterAll(() => close(server));

  test('a client that trusts the certificate → GET /healthz 200 over TLS 1.2 or newer', async () => {
    const res = await https({ port, path: '/healthz', ca: fs.readFileSync(certFile) });
    expect(res.status).toBe(200);
    expect(JSON.parse(res.body)).toEqual({ status: 'ok' });
    expect(res.protocol).toMatch(/^TLSv1\.[23]$/);
  });

  test('an authenticated POST /payments over HTTPS → 200 and a payment started', async () => {
    const res = await https({
      port,
      method: 'POST',
      path: '/payments',
      ca: fs.readFileSync(certFile),
      headers: { authorization: basic('demo:demo'), 'content-type': 'application/json' },
      body: JSON.stringify(saleBody()),
    });
    expect(res.status).toBe(200);
    expect(fake.workflows.size).toBe(1);
  });

  test('a client that does not trust the certificate → the handshake fails', async () => {
    await expect(https({ port, path: '/healthz' })).rejects.toThrow(/self[- ]signed certificate/);
  });

  test('plain HTTP to the HTTPS port → no answer as HTTP', async () => {
    const outcome = await new Promise<string>((resolve) => {
      const req = httpRequest({ host: '127.0.0.1', port, path: '/healthz' }, (res) => resolve(`status ${res.statusCode}`));
      req.on('error', (err) => resolve(`error ${err.message}`));
      req.end();
    });
    expect(outcome).toMatch(/^error /);
  });
});

test('without TLS settings → plain HTTP', async () => {
  const { server, port } = await listen({});
  try {
    const res = await fetch(`http://127.0.0.1:${port}/healthz`);
    expect(res.status).toBe(200);
  } finally {
    await close(server);
  }
});

test('a request Node cannot parse as HTTP → 400 with the contract\'s error body, and the server goes on', async () => {
  const { server, port } = await listen({});
  try {
    const raw = await new Promise<string>((resolve, reject) => {
      const socket = connect(port, '127.0.0.1', () => socket.write('GARBAGE \x00 /payments HTTP/9\r\n\r\n'));
      let text = '';
      socket.on('data', (c) => (text += c.toString()));
      socket.on('end', () => resolve(text));
      socket.on('error', reject);
    });
    const [head = '', body = ''] = raw.split('\r\n\r\n');
    expect(head).toMatch(/^HTTP\/1\.1 400 /);
    expect(head).toMatch(/\r\nX-Request-Id: [0-9a-f-]{36}/);
    expect(JSON.parse(body)).toEqual({ error_code: 'bad-request', error_data: { message: expect.any(String) }, request_id: expect.any(String) });
    expect((await fetch(`http://127.0.0.1:${port}/healthz`)).status).toBe(200);
  } finally {
    await close(server);
  }
});
