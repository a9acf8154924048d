import { paymentBody, sleep, startSimulator } from './__fixtures__/start';

type Sim = Awaited<ReturnType<typeof startSimulator>>;
let s: Sim;
let posN = 0;
let pos: string;

/**
 * The customer's steps are a third of this apart: wide enough that a loaded CI machine answers the
 * start before the next prompt shows, which the walk-through tests read one by one.
 */
const APPROVE_MS = 1200;

beforeEach(async () => {
  s = await startSimulator({ approveDelayMs: APPROVE_MS });
  posN += 1;
  pos = `POS${posN}`;
});
afterEach(async () => {
  await s.close();
});

const start = (reference: string, amountMinor = 39800, kind = 'sale') =>
  s.call('POST', `/terminal/v1/${pos}/transactions`, { reference, kind, amountMinor, currencycode: 'SEK' });
const poll = (reference: string, after: string, waitMs = 5000) =>
  s.call('GET', `/terminal/v1/${pos}/transactions/${reference}?waitMs=${waitMs}&after=${encodeURIComponent(after)}`);

describe('terminal', () => {
  test('POST a transaction with a body that does not fit its schema → 400 bad-request naming the field', async () => {
    const res = await s.call('POST', `/terminal/v1/${pos}/transactions`, { reference: paymentBody().reference, kind: 'sale', amountMinor: '398', currencycode: 'SEK' });
    expect(res.status).toBe(400);
    expect(res.body).toEqual({ error: 'bad-request', message: 'amountMinor must be integer' });
  });

  test('POST a transaction → the customer walks Present card → Enter PIN → Authorising → card_read with a token', async () => {
    const ref = paymentBody().reference;
    const started = await start(ref);
    expect(started.status).toBe(201);
    expect(started.body).toMatchObject({ status: 'prompting', prompt: 'Present card', cardToken: null });
    const prompts = ['Present card'];
    let tx = started.body;
    while (tx.status === 'prompting') {
      tx = (await poll(ref, tx.prompt)).body;
      prompts.push(tx.prompt);
    }
    expect(prompts).toEqual(['Present card', 'Enter PIN', 'Authorising', 'Card read']);
    expect(tx.status).toBe('card_read');
    expect(tx.cardToken).toMatch(/^tok_/);
  });

  test('the card token authorises at the acquirer at once, with the card on the receipt', async () => {
    const body = { ...paymentBody(), method: 'card' };
    await start(body.reference);
    let tx = (await poll(body.reference, 'Present card')).body;
    while (tx.status === 'prompting') tx = (await poll(body.reference, tx.prompt)).body;
    const res = await s.create({ ...body, cardToken: tx.cardToken });
    expect(res.body).toMatchObject({ status: 'approved', qrUrl: null, receipt: { scheme: 'Visa', last4: '4242' } });
    const wrong = await s.create({ ...paymentBody(), method: 'card', cardToken: tx.cardToken });
    expect(wrong.body.error).toBe('card-token-mismatch');
    const none = await s.create({ ...paymentBody(), method: 'card' });
    expect(none.status).toBe(400);
  });

  test('.51 → the terminal declines the card', async () => {
    const ref = paymentBody().reference;
    let tx = (await start(ref, 10051)).body;
    while (tx.status === 'prompting') tx = (await poll(ref, tx.prompt)).body;
    expect(tx).toMatchObject({ status: 'declined', prompt: 'Card declined', cardToken: null });
  });

  test('.52 → stays at Present card', async () => {
    const ref = paymentBody().reference;
    await start(ref, 10052);
    const tx = (await poll(ref, 'Present card', 600)).body;
    expect(tx).toMatchObject({ status: 'prompting', prompt: 'Present card' });
  });

  test('a second reference while one is open → 409 busy; the same reference again → the same transaction', async () => {
    const a = paymentBody().reference;
    await start(a, 10052);
    const again = await start(a, 10052);
    expect(again.status).toBe(200);
    const busy = await start(paymentBody().reference);
    expect(busy.status).toBe(409);
    expect(busy.body).toMatchObject({ error: 'busy', reference: a });
    await s.call('POST', `/terminal/v1/${pos}/transactions/${a}/cancel`);
    expect((await start(paymentBody().reference)).status).toBe(201);
  });

  test('cancel → cancelled unless the card was read', async () => {
    const a = paymentBody().reference;
    await start(a);
    const cancelled = await s.call('POST', `/terminal/v1/${pos}/transactions/${a}/cancel`);
    expect(cancelled.body).toMatchObject({ status: 'cancelled', prompt: 'Cancelled' });
    await sleep(APPROVE_MS + 100);
    expect((await poll(a, 'x', 0)).body.status).toBe('cancelled');

    const b = paymentBody().reference;
    let tx = (await start(b)).body;
    while (tx.status === 'prompting') tx = (await poll(b, tx.prompt)).body;
    const late = await s.call('POST', `/terminal/v1/${pos}/transactions/${b}/cancel`);
    expect(late.body.status).toBe('card_read');
  });

  test('cancel before the start arrives → 404, and the late start never prompts', async () => {
    const a = paymentBody().reference;
    expect((await s.call('POST', `/terminal/v1/${pos}/transactions/${a}/cancel`)).status).toBe(404);
    expect((await start(a)).body.status).toBe('cancelled');
  });
});
