import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { Writable } from 'node:stream';
import { loadApiConfig } from '@payments/config';
import { createApp } from '../app';
import { FakeTemporal } from '../__fixtures__/fake-temporal';
import { basic, saleBody } from '../__fixtures__/harness';
import { maskPhone, scrubLogObject } from './log-scrub';
import { createLogger } from './logger';

const PASSWORD = 'pa55-w0rd-in-the-header';
const MOBILE = '+46701234567';
/** pino's numeric levels, as the JSON lines carry them. */
const levelOf = (name: 'info' | 'debug') => ({ info: 30, debug: 20 })[name];

describe('the API logger (createLogger, as main.ts builds it)', () => {
  let server: Server;
  let url: string;
  const lines: string[] = [];

  beforeAll(async () => {
    const config = loadApiConfig({ SPI_CREDENTIALS: JSON.stringify([{ username: 'shop', password: PASSWORD, merchant: 'acme' }]) });
    const logger = createLogger('debug', { write: (line: string) => void lines.push(line) });
    const app = createApp({ config, temporal: { client: new FakeTemporal().client, taskQueue: 'payments' }, logger });
    server = createServer(app.callback());
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    url = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  });
  afterAll(() => new Promise<void>((resolve) => server.close(() => resolve())));

  test('a poll answered 200 → logged at debug; the POST that started the payment → at info', async () => {
    const authorization = basic(`shop:${PASSWORD}`);
    const post = await fetch(`${url}/payments`, { method: 'POST', headers: { authorization, 'content-type': 'application/json' }, body: JSON.stringify(saleBody()) });
    const paymentid = (await post.json()) as string;
    expect((await fetch(`${url}/payments/${paymentid}`, { headers: { authorization } })).status).toBe(200);
    const levels = lines
      .map((l) => JSON.parse(l) as { level: number | string; method?: string; paymentid?: string })
      .filter((l) => l.paymentid === paymentid && l.method !== undefined)
      .map((l) => `${l.method} ${l.level}`);
    expect(levels).toEqual([`POST ${levelOf('info')}`, `GET ${levelOf('debug')}`]);
  });

  test('a POST carrying Authorization and a customer mobile → logged with the phone masked, no header, no password', async () => {
    const authorization = basic(`shop:${PASSWORD}`);
    const res = await fetch(`${url}/payments`, {
      method: 'POST',
      headers: { authorization, 'content-type': 'application/json' },
      body: JSON.stringify(saleBody({ customer: { mobile: MOBILE } })),
    });
    expect(res.status).toBe(200);
    const wrong = await fetch(`${url}/payments/x`, { headers: { authorization: basic('shop:wrong-password-guess') } });
    expect(wrong.status).toBe(401);

    const all = lines.join('');
    expect(lines.length).toBeGreaterThanOrEqual(2);
    expect(JSON.parse(lines[0]!)).toMatchObject({ route: '/payments', status: 200, merchant: 'acme', customer: '+4670*****67' });
    for (const secret of [PASSWORD, authorization, authorization.slice(6), 'wrong-password-guess', MOBILE, '701234567']) {
      expect(all).not.toContain(secret);
    }
    expect(all).not.toMatch(/authorization/i);
  });

  test('whatever object is logged, credentials are replaced and phone numbers masked at any depth', () => {
    const before = lines.length;
    const logger = createLogger('info', { write: (line: string) => void lines.push(line) });
    logger.info(
      {
        headers: { authorization: basic(`shop:${PASSWORD}`), 'x-signature': 't=1,v1=ab', cookie: 'sid=1' },
        body: { customer: { mobile: MOBILE }, cartitems: [{ note: 'hi' }] },
        config: { credentials: [{ username: 'shop', password: PASSWORD }] },
      },
      'a careless line',
    );
    const line = JSON.parse(lines.slice(before).join(''));
    expect(line.headers).toEqual({ authorization: '[redacted]', 'x-signature': '[redacted]', cookie: '[redacted]' });
    expect(line.body.customer.mobile).toBe('+4670*****67');
    expect(line.config.credentials).toBe('[redacted]');
    expect(JSON.stringify(line)).not.toContain(PASSWORD);
  });

  test('LOG_FORMAT=pretty (a person at npm start) → one short line, and still no credential or phone number in it', async () => {
    const out: string[] = [];
    const sink = new Writable({
      write(chunk: Buffer, _enc, done) {
        out.push(chunk.toString());
        done();
      },
    });
    const logger = createLogger('info', sink, 'pretty');
    logger.info({ headers: { authorization: basic(`shop:${PASSWORD}`) }, customer: MOBILE, paymentid: 'p-1', password: PASSWORD }, 'a careless line');
    await new Promise((resolve) => setTimeout(resolve, 50)); // pino-pretty writes through a stream pipeline
    const text = out.join('');
    expect(text.trim().split('\n')).toHaveLength(1);
    expect(text).toMatch(/ api +INFO.*: a careless line paymentid=p-1/);
    for (const secret of [PASSWORD, MOBILE, 'authorization']) expect(text).not.toContain(secret);
  });

  test('an error keeps its message and stack for pino\'s serializer', () => {
    const before = lines.length;
    const logger = createLogger('info', { write: (line: string) => void lines.push(line) });
    logger.error({ err: new Error('boom') }, 'failed');
    const line = JSON.parse(lines.slice(before).join(''));
    expect(line.err).toMatchObject({ type: 'Error', message: 'boom', stack: expect.stringContaining('boom') });
  });
});

describe('maskPhone', () => {
  test.each([
    ['+46701234567', '+4670*****67'],
    ['0701234567', '07012***67'],
    ['+4915112345678', '+4915*******78'],
    ['12345', '*****'],
  ])('%s → %s', (phone, masked) => {
    expect(maskPhone(phone)).toBe(masked);
  });

  test('absent or empty → nothing to log', () => {
    expect(maskPhone(undefined)).toBeUndefined();
    expect(maskPhone(null)).toBeUndefined();
    expect(maskPhone('')).toBeUndefined();
  });
});

test('scrubLogObject cuts what nests deeper than it needs to look, and a cycle does not hang it', () => {
  const cyclic: Record<string, unknown> = { a: 1 };
  cyclic.self = cyclic;
  const out = JSON.stringify(scrubLogObject({ cyclic }));
  expect(out).toContain('[cut]');
});
