import { createServer as createHttpServer, type Server } from 'node:http';
import { createServer as createTcpServer, type Server as TcpServer, type Socket } from 'node:net';
import type { AddressInfo } from 'node:net';
import { Client, Connection } from '@temporalio/client';
import pino from 'pino';
import { loadApiConfig } from '@payments/config';
import { createApp } from './app';
import { saleBody, basic } from './__fixtures__/harness';

/**
 * createApp with the real Temporal client on a lazy connection to a Temporal that is not there
 * (connection refused) or does not answer (a socket that accepts and stays silent): the SDK's
 * own errors must come out as 503 within the contract's second.
 */
describe.each([
  ['refuses connections', 'refused'],
  ['accepts connections and never answers', 'silent'],
] as const)('createApp with a real Client, while Temporal %s', (_label, mode) => {
  let blackhole: TcpServer | null = null;
  const sockets: Socket[] = [];
  let connection: Connection;
  let server: Server;
  let url: string;

  beforeAll(async () => {
    let address = '127.0.0.1:1';
    if (mode === 'silent') {
      blackhole = createTcpServer((s) => sockets.push(s));
      await new Promise<void>((resolve) => blackhole?.listen(0, '127.0.0.1', resolve));
      address = `127.0.0.1:${(blackhole.address() as AddressInfo).port}`;
    }
    const config = loadApiConfig({ TEMPORAL_ADDRESS: address });
    connection = Connection.lazy({ address });
    const client = new Client({ connection, namespace: 'default' });
    const app = createApp({ config, temporal: { client, taskQueue: 'payments' }, logger: pino({ level: 'silent' }) });
    server = createHttpServer(app.callback());
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    url = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
    // The test client's first fetch sets up undici (about 100–200 ms under load): spent here, so
    // the timings below are the API's answer as a register with a warm connection sees it.
    await fetch(`${url}/healthz`);
  });

  afterAll(async () => {
    await new Promise<void>((resolve) => server.close(() => resolve()));
    // The SDK's gRPC retry interceptor may still hold a retry timer of a call that already
    // failed its deadline; closing the channel under it throws from that timer. Let it drain.
    await new Promise((resolve) => setTimeout(resolve, 2000));
    await connection.close();
    for (const s of sockets) s.destroy();
    await new Promise<void>((resolve) => (blackhole ? blackhole.close(() => resolve()) : resolve()));
  });

  const call = async (method: string, path: string, body?: unknown) => {
    const started = performance.now();
    const res = await fetch(`${url}${path}`, {
      method,
      headers: { authorization: basic('demo:demo'), ...(body ? { 'content-type': 'application/json' } : {}) },
      body: body ? JSON.stringify(body) : undefined,
    });
    return { status: res.status, body: (await res.json()) as { error_code?: string }, ms: performance.now() - started };
  };

  test('POST /payments → 503 unavailable in < 1 s', async () => {
    const res = await call('POST', '/payments', saleBody());
    expect(res.status).toBe(503);
    expect(res.body.error_code).toBe('unavailable');
    expect(res.ms).toBeLessThan(1000);
  });

  test('PUT /payments/{id} → 503 unavailable in < 1 s', async () => {
    const res = await call('PUT', '/payments/00000000-0000-4000-8000-000000000000', { state: 'completed' });
    expect(res.status).toBe(503);
    expect(res.ms).toBeLessThan(1000);
  });

  test('GET /readyz → 503 in < 1 s; GET /healthz → 200', async () => {
    const ready = await call('GET', '/readyz');
    expect(ready.status).toBe(503);
    expect(ready.ms).toBeLessThan(1000);
    expect((await call('GET', '/healthz')).status).toBe(200);
  });
});
