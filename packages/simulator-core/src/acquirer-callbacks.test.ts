import * as http from 'node:http';
import type { AddressInfo } from 'node:net';
import { SIGNATURE_HEADER, verifyCallbackSignature } from '@payments/contract/signature';
import { paymentBody, sleep, startSimulator } from './__fixtures__/start';

const SECRET = 'sim-acquirer-callback-secret-0123456789';

interface Delivery {
  at: number;
  signature: string;
  raw: Buffer;
  event: { event_id: string; paymentid: string; type: string };
}
let receiver: http.Server;
let endpointUrl: string;
let deliveries: Delivery[];
let answer: () => number;

beforeAll(async () => {
  receiver = http.createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => chunks.push(c));
    req.on('end', () => {
      const raw = Buffer.concat(chunks);
      deliveries.push({ at: Date.now(), signature: String(req.headers[SIGNATURE_HEADER]), raw, event: JSON.parse(raw.toString('utf8')) });
      res.writeHead(answer()).end();
    });
  });
  await new Promise<void>((r) => receiver.listen(0, '127.0.0.1', r));
  endpointUrl = `http://127.0.0.1:${(receiver.address() as AddressInfo).port}/callbacks/acquirer`;
});
afterAll(() => new Promise((r) => receiver.close(r)));

type Started = Awaited<ReturnType<typeof startSimulator>>;
let s: Started;
beforeEach(async () => {
  deliveries = [];
  answer = () => 200;
  s = await startSimulator({ approveDelayMs: 150, acquirerCallback: { url: endpointUrl, secret: SECRET }, acquirerCallbackRetryBaseMs: 50 });
});
afterEach(() => s.close());

const of = (reference: string) => deliveries.filter((d) => d.event.paymentid === reference);
const types = (reference: string) => of(reference).map((d) => d.event.type);
const until = async (check: () => boolean, ms = 3_000) => {
  const end = Date.now() + ms;
  while (!check() && Date.now() < end) await sleep(20);
};
let posN = 0;
const startCard = (reference: string, amountMinor = 39800) =>
  s.call('POST', `/terminal/v1/POS-CB${++posN}/transactions`, { reference, kind: 'sale', amountMinor, currencycode: 'SEK' });

describe('acquirer callbacks', () => {
  test('a wallet sale the customer approves → one payment.approved event for its reference, signed with the secret', async () => {
    const body = paymentBody();
    const created = await s.create(body);
    expect(created.status).toBe(201);
    await until(() => of(body.reference).length > 0);
    expect(types(body.reference)).toEqual(['payment.approved']);
    const [d] = of(body.reference);
    expect(d!.event.event_id).toMatch(/^evt_/);
    expect(verifyCallbackSignature({ header: d!.signature, body: d!.raw, secret: SECRET, nowMs: Date.now(), toleranceMs: 60_000 }).ok).toBe(true);
    expect(verifyCallbackSignature({ header: d!.signature, body: d!.raw, secret: `${SECRET}-other`, nowMs: Date.now(), toleranceMs: 60_000 }).ok).toBe(false);
  });

  test('a wallet sale the customer declines → payment.declined; a card authorised in its create call → no event (the caller has the answer)', async () => {
    const declined = paymentBody();
    await s.create({ ...declined, amountMinor: 39851 });
    await until(() => of(declined.reference).length > 0);
    expect(types(declined.reference)).toEqual(['payment.declined']);

    const card = paymentBody();
    await startCard(card.reference);
    await until(() => types(card.reference).includes('terminal.card_read'));
    const tx = await s.call('GET', `/terminal/v1/POS-CB${posN}/transactions/${card.reference}`);
    const auth = await s.create({ ...card, method: 'card', cardToken: tx.body.cardToken });
    expect(auth.body.status).toBe('approved');
    await sleep(200);
    expect(types(card.reference).filter((t) => t.startsWith('payment.'))).toEqual([]);
  });

  test('a card transaction → an event for each step the customer takes: Enter PIN, Authorising, card read; none for the start or a cancel the caller made', async () => {
    const { reference } = paymentBody();
    await startCard(reference);
    await until(() => types(reference).includes('terminal.card_read'));
    expect(types(reference)).toEqual(['terminal.prompting', 'terminal.prompting', 'terminal.card_read']);

    const cancelled = paymentBody().reference;
    await startCard(cancelled);
    const res = await s.call('POST', `/terminal/v1/POS-CB${posN}/transactions/${cancelled}/cancel`, {});
    expect(res.body.status).toBe('cancelled');
    await sleep(300);
    expect(types(cancelled)).toEqual([]);
  });

  test('a card never presented at a terminal with an idle timeout → terminal.timeout', async () => {
    await s.close();
    s = await startSimulator({ approveDelayMs: 150, terminalIdleTimeoutMs: 200, acquirerCallback: { url: endpointUrl, secret: SECRET } });
    const { reference } = paymentBody();
    await startCard(reference, 39852);
    await until(() => of(reference).length > 0);
    expect(types(reference)).toEqual(['terminal.timeout']);
  });

  test('the receiver answers 503 twice → the same event is sent again after doubling waits, and counted delivered once', async () => {
    let calls = 0;
    answer = () => (++calls <= 2 ? 503 : 200);
    const body = paymentBody();
    await s.create(body);
    await until(() => of(body.reference).length >= 3);
    const sent = of(body.reference);
    expect(sent).toHaveLength(3);
    expect(new Set(sent.map((d) => d.event.event_id)).size).toBe(1);
    expect(sent[2]!.at - sent[1]!.at).toBeGreaterThanOrEqual(90); // the second wait is double the first (50 ms)
    const view = await s.call('GET', '/sim/acquirer/callbacks');
    expect(view.body.counts).toMatchObject({ raised: 1, delivered: 1, failed: 2, abandoned: 0 });
    expect(view.body.endpoint).toEqual({ url: endpointUrl });
  });

  test('a receiver that never answers 2xx → given up after the last attempt (bounded)', async () => {
    answer = () => 500;
    const body = paymentBody();
    await s.create(body);
    await until(() => of(body.reference).length >= 6, 5_000);
    await sleep(1_800); // past when a seventh attempt would go (50 ms doubling: 50+100+…+1600)
    expect(of(body.reference)).toHaveLength(6);
    expect((await s.call('GET', '/sim/acquirer/callbacks')).body.counts).toMatchObject({ raised: 1, abandoned: 1 });
  }, 10_000);

  test('POST /sim/acquirer/callbacks drop → nothing sent; duplicate → the same event_id twice, a second apart; delayMs → late', async () => {
    expect((await s.call('POST', '/sim/acquirer/callbacks', { drop: true })).body.faults).toMatchObject({ drop: true });
    const dropped = paymentBody();
    await s.create(dropped);
    await sleep(400);
    expect(of(dropped.reference)).toEqual([]);

    await s.call('POST', '/sim/acquirer/callbacks', { drop: false, duplicate: true });
    const twice = paymentBody();
    await s.create(twice);
    await until(() => of(twice.reference).length >= 2);
    const [first, second] = of(twice.reference);
    expect(second!.event.event_id).toBe(first!.event.event_id);
    expect(second!.at - first!.at).toBeGreaterThanOrEqual(1_000);
    expect(second!.signature).not.toBe(first!.signature);

    await s.call('POST', '/sim/acquirer/callbacks', { duplicate: false, delayMs: 500 });
    const late = paymentBody();
    const t0 = Date.now();
    await s.create(late);
    await until(() => of(late.reference).length > 0);
    expect(of(late.reference)[0]!.at - t0).toBeGreaterThanOrEqual(150 + 450);
    expect((await s.call('GET', '/sim/acquirer/callbacks')).body.counts).toMatchObject({ dropped: 1 });
  });

  test('POST /sim/acquirer/callbacks with a bad value → 400; endpoint null → no events', async () => {
    expect((await s.call('POST', '/sim/acquirer/callbacks', { delayMs: -1 })).status).toBe(400);
    expect((await s.call('POST', '/sim/acquirer/callbacks', { drop: 'yes' })).status).toBe(400);
    expect((await s.call('POST', '/sim/acquirer/callbacks', { endpoint: { url: endpointUrl, secret: 'short' } })).status).toBe(400);
    expect((await s.call('POST', '/sim/acquirer/callbacks', { endpoint: null })).body.endpoint).toBeNull();
    const body = paymentBody();
    await s.create(body);
    await sleep(400);
    expect(of(body.reference)).toEqual([]);
  });
});
