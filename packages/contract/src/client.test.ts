import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { createSpiClient, SpiClientError } from './client';
import type { Payment, PaymentStateName } from './schemas';

/** A tiny stand-in for the SPI: it records each request and answers from `reply`. */
interface Seen {
  method: string;
  url: string;
  headers: IncomingMessage['headers'];
  body: unknown;
}
type Reply = { status: number; body?: unknown; raw?: string };

let server: Server;
let baseUrl: string;
let seen: Seen[];
let reply: (req: Seen) => Reply;

beforeAll(async () => {
  server = createServer((req: IncomingMessage, res: ServerResponse) => {
    let text = '';
    req.on('data', (c: Buffer) => (text += c.toString()));
    req.on('end', () => {
      const request: Seen = { method: req.method ?? '', url: req.url ?? '', headers: req.headers, body: text ? JSON.parse(text) : undefined };
      seen.push(request);
      const { status, body, raw } = reply(request);
      res.writeHead(status, { 'content-type': raw === undefined ? 'application/json' : 'text/html' });
      res.end(raw ?? (body === undefined ? '' : JSON.stringify(body)));
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  baseUrl = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
});
afterAll(() => new Promise<void>((resolve) => server.close(() => resolve())));
beforeEach(() => {
  seen = [];
  reply = () => ({ status: 500 });
});

const payment = (state: PaymentStateName, message = 'Scan the QR code'): Payment => ({
  paymentid: 'p-1',
  creditpaymentid: null,
  paymentname: 'Custom Payment',
  paymentstate: { state, message, qrcode: state === 'inprogress' ? 'http://wallet/p-1' : null, receiptrow: '', receiptsection: [] },
  amount: '398.00',
  currencycode: 'SEK',
  storeid: '1',
  storename: 'Flagship',
  storeexternalid: null,
  posid: 'SIE0000160000051',
  receiptid: 'R1',
  customer: null,
  cartitems: [],
});

const client = (extra: Partial<Parameters<typeof createSpiClient>[0]> = {}) =>
  createSpiClient({ baseUrl, username: 'demo', password: 'dëmo', ...extra });

const sale = { amount: '398.00', currencycode: 'SEK', posid: 'SIE0000160000051', creditpaymentid: null };

test('startPayment → POST /payments with Basic auth (UTF-8), a JSON body and the Idempotency-Key; resolves to the paymentid', async () => {
  reply = () => ({ status: 200, body: 'p-1' });
  const id = await client({ headers: { 'Store-ID': '1' } }).startPayment(sale, { idempotencyKey: 'k-1' });
  expect(id).toBe('p-1');
  const [req] = seen;
  expect(req).toMatchObject({ method: 'POST', url: '/payments', body: sale });
  expect(req!.headers.authorization).toBe(`Basic ${Buffer.from('demo:dëmo', 'utf8').toString('base64')}`);
  expect(req!.headers['content-type']).toBe('application/json');
  expect(req!.headers['idempotency-key']).toBe('k-1');
  expect(req!.headers['store-id']).toBe('1');
});

test('getPayment → GET /payments/{id} (the id URL-encoded, a base URL prefix kept); resolves to the typed payment', async () => {
  reply = () => ({ status: 200, body: payment('inprogress') });
  const p = await createSpiClient({ baseUrl: `${baseUrl}/spi/`, username: 'demo', password: 'demo' }).getPayment('a b');
  expect(seen[0]).toMatchObject({ method: 'GET', url: '/spi/payments/a%20b' });
  expect(p.paymentstate.qrcode).toBe('http://wallet/p-1');
});

test('setState → PUT /payments/{id} with { paymentstate: { state } }; resolves to the payment after the change', async () => {
  reply = () => ({ status: 200, body: payment('completed', 'Payment completed') });
  const p = await client().setState('p-1', 'completed');
  expect(seen[0]).toMatchObject({ method: 'PUT', url: '/payments/p-1', body: { paymentstate: { state: 'completed' } } });
  expect(p.paymentstate.state).toBe('completed');
});

test('an error answer → SpiClientError carrying the status and the contract error body', async () => {
  const body = { error_code: 'invalid-state', error_data: { message: 'payment is inprogress' }, request_id: 'r-1' };
  reply = () => ({ status: 409, body });
  const err = await client().setState('p-1', 'completed').catch((e: unknown) => e);
  expect(err).toBeInstanceOf(SpiClientError);
  expect(err).toMatchObject({ reason: 'http', status: 409, code: 'invalid-state', body, transient: false });
  expect((err as Error).message).toContain('invalid-state: payment is inprogress');
});

test('an error answer that is not the contract’s (a proxy’s HTML page) → SpiClientError without a body', async () => {
  reply = () => ({ status: 502, raw: '<html>Bad gateway</html>' });
  await expect(client().getPayment('p-1')).rejects.toMatchObject({ reason: 'http', status: 502, body: undefined, code: undefined });
});

test('a 200 whose body is not a payment → SpiClientError invalid-response naming the field', async () => {
  reply = () => ({ status: 200, body: { paymentid: 'p-1' } });
  const err = await client().getPayment('p-1').catch((e: unknown) => e);
  expect(err).toMatchObject({ reason: 'invalid-response', status: 200 });
  expect((err as Error).message).toMatch(/not a payment/);
});

test('no answer (connection refused) → SpiClientError network, transient', async () => {
  const dead = createSpiClient({ baseUrl: 'http://127.0.0.1:1', username: 'demo', password: 'demo' });
  await expect(dead.getPayment('p-1')).rejects.toMatchObject({ reason: 'network', status: 0, transient: true });
});

test('a call slower than timeoutMs → SpiClientError network', async () => {
  const slow = createSpiClient({
    baseUrl,
    username: 'demo',
    password: 'demo',
    timeoutMs: 50,
    fetch: (_url, init) =>
      new Promise((_resolve, reject) => init?.signal?.addEventListener('abort', () => reject(new Error('aborted')))),
  });
  await expect(slow.getPayment('p-1')).rejects.toMatchObject({ reason: 'network' });
});

describe('waitForState', () => {
  test('polls GET until the state is wanted, reporting every read; a 503 on the way is retried', async () => {
    const answers: Reply[] = [
      { status: 200, body: payment('inprogress') },
      { status: 503, body: { error_code: 'unavailable', error_data: { message: 'try again' }, request_id: 'r' } },
      { status: 200, body: payment('inprogress', 'Approve in your app') },
      { status: 200, body: payment('ready_to_complete', 'Payment approved') },
    ];
    reply = () => answers.shift() ?? { status: 500 };
    const polled: string[] = [];
    const retried: string[] = [];
    const p = await client().waitForState('p-1', ['ready_to_complete', 'cancelled'], {
      intervalMs: 5,
      onPoll: (x) => polled.push(x.paymentstate.message),
      onRetry: (e) => retried.push(e.code ?? ''),
    });
    expect(p.paymentstate.state).toBe('ready_to_complete');
    expect(polled).toEqual(['Scan the QR code', 'Approve in your app', 'Payment approved']);
    expect(retried).toEqual(['unavailable']);
    expect(seen).toHaveLength(4);
  });

  test('a non-transient error (404) ends the wait at once', async () => {
    reply = () => ({ status: 404, body: { error_code: 'not-found', error_data: { message: 'no such payment' }, request_id: 'r' } });
    await expect(client().waitForState('p-1', 'completed', { intervalMs: 5 })).rejects.toMatchObject({ code: 'not-found' });
    expect(seen).toHaveLength(1);
  });

  test('a state never reached → SpiClientError timeout after timeoutMs', async () => {
    reply = () => ({ status: 200, body: payment('inprogress') });
    const started = Date.now();
    await expect(client().waitForState('p-1', 'completed', { intervalMs: 10, timeoutMs: 100 })).rejects.toMatchObject({ reason: 'timeout' });
    expect(Date.now() - started).toBeLessThan(1000);
  });

  test('an aborted signal stops the wait', async () => {
    reply = () => ({ status: 200, body: payment('inprogress') });
    const controller = new AbortController();
    setTimeout(() => controller.abort(new Error('register closed')), 30);
    await expect(client().waitForState('p-1', 'completed', { intervalMs: 10, signal: controller.signal })).rejects.toThrow('register closed');
  });
});
