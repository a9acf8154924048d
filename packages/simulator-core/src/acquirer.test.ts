import { paymentBody, sleep, startSimulator } from './__fixtures__/start';

type Sim = Awaited<ReturnType<typeof startSimulator>>;
let s: Sim;

beforeEach(async () => {
  s = await startSimulator();
});
afterEach(async () => {
  await s.close();
});

const ledger = async (reference: string) => (await s.call('GET', `/sim/ledger/${reference}`)).body;

describe('POST /acquirer/v1/payments (wallet)', () => {
  test('a wallet sale answers pending with the wallet page URL, then the customer approves after the delay', async () => {
    const body = paymentBody();
    const created = await s.create(body);
    expect(created.status).toBe(201);
    expect(created.body).toMatchObject({ reference: body.reference, status: 'pending', reversal: 'none', confirmed: false });
    expect(created.body.qrUrl).toBe(`${s.url}/wallet/${created.body.id}`);

    const polled = await s.call('GET', `/acquirer/v1/payments/${created.body.id}?waitMs=5000`);
    expect(polled.body).toMatchObject({ status: 'approved', lateReversalAllowed: true });
    expect(typeof polled.body.approvedAt).toBe('string');
    // Two-step money: approval holds the amount; only the register's completion (confirm) captures it.
    expect(await ledger(body.reference)).toMatchObject({ authorizedMinor: 39800, capturedMinor: 0, reversedMinor: 0, refundedMinor: 0 });
    const confirmed = await s.post(`/acquirer/v1/payments/${created.body.id}/confirm`, 'c1');
    expect(confirmed.body.confirmed).toBe(true);
    await s.post(`/acquirer/v1/payments/${created.body.id}/confirm`, 'c1');
    const entry = await ledger(body.reference);
    expect(entry).toMatchObject({ authorizedMinor: 39800, capturedMinor: 39800 });
    expect(entry.events.filter((e: { type: string }) => e.type === 'captured')).toHaveLength(1);
  });

  test('the same Idempotency-Key twice → the same payment, one capture', async () => {
    const body = paymentBody();
    const first = await s.create(body, 'k1');
    const second = await s.create(body, 'k1');
    const otherKey = await s.create(body, 'k2');
    expect(first.status).toBe(201);
    expect(second.status).toBe(200);
    expect(second.body.id).toBe(first.body.id);
    expect(otherKey.body.id).toBe(first.body.id);
    await s.call('GET', `/acquirer/v1/payments/${first.body.id}?waitMs=5000`);
    const all = (await s.call('GET', '/sim/ledger')).body.payments;
    expect(Object.values(all).filter((p: any) => p.reference === body.reference)).toHaveLength(1); // eslint-disable-line @typescript-eslint/no-explicit-any
    expect(await ledger(body.reference)).toMatchObject({ authorizedMinor: 39800 });
  });

  test('an Idempotency-Key reused for another reference → 422 idempotency-conflict', async () => {
    await s.create(paymentBody(), 'same');
    const res = await s.create(paymentBody(), 'same');
    expect(res.status).toBe(422);
    expect(res.body.error).toBe('idempotency-conflict');
  });

  test('an existing reference with another amount → 422 reference-conflict', async () => {
    const body = paymentBody();
    await s.create(body);
    const res = await s.create({ ...body, amountMinor: 100 }, 'other');
    expect(res.status).toBe(422);
    expect(res.body.error).toBe('reference-conflict');
  });

  test('without an Idempotency-Key → 400; a bad amount → 400', async () => {
    expect((await s.call('POST', '/acquirer/v1/payments', paymentBody())).status).toBe(400);
    const bad = await s.create({ amountMinor: 12.5 });
    expect(bad.status).toBe(400);
    expect(bad.body.message).toMatch(/amountMinor/);
  });

  test.each([
    ['without originalReference', { originalReference: undefined }, 'originalReference is required'],
    ['a kind that is neither sale nor refund', { kind: 'gift' }, 'kind must be one of sale, refund'],
    ['a lower-case currency', { currencycode: 'sek' }, /^currencycode /],
    ['a zero amount', { amountMinor: 0 }, /^amountMinor /],
  ])('a create body %s → 400 bad-request naming the field; nothing is created', async (_name, over, message) => {
    const body = { ...paymentBody(), ...over };
    const res = await s.create(body);
    expect(res.status).toBe(400);
    expect(res.body).toEqual({ error: 'bad-request', message: expect.stringMatching(message) });
    expect((await s.call('GET', `/sim/ledger/${body.reference}`)).status).toBe(404);
  });

  test('a create body with a field the wire does not name → created, and the field is not kept', async () => {
    const body = paymentBody();
    expect((await s.create({ ...body, note: 'extra' })).status).toBe(201);
    expect(await ledger(body.reference)).not.toHaveProperty('note');
  });

  test('.51 → the customer declines after the delay; no money moves', async () => {
    const body = paymentBody();
    const { body: p } = await s.create({ ...body, amountMinor: 10051 });
    const polled = await s.call('GET', `/acquirer/v1/payments/${p.id}?waitMs=5000`);
    expect(polled.body.status).toBe('declined');
    expect(await ledger(body.reference)).toMatchObject({ capturedMinor: 0, status: 'declined' });
  });

  test('.52 → never answers: a long-poll answers pending after waitMs', async () => {
    const { body: p } = await s.create({ amountMinor: 10052 });
    const t0 = Date.now();
    const polled = await s.call('GET', `/acquirer/v1/payments/${p.id}?waitMs=400`);
    expect(polled.body.status).toBe('pending');
    expect(Date.now() - t0).toBeGreaterThanOrEqual(380);
  });

  test('.53 → the first 3 calls of each operation answer 503, then it works', async () => {
    const body = { ...paymentBody(), amountMinor: 10053 };
    const codes: number[] = [];
    for (let i = 0; i < 4; i++) codes.push((await s.create(body)).status);
    expect(codes).toEqual([503, 503, 503, 201]);
    const id = (await s.create(body)).body.id;
    const gets: number[] = [];
    for (let i = 0; i < 4; i++) gets.push((await s.call('GET', `/acquirer/v1/payments/${id}`)).status);
    expect(gets).toEqual([503, 503, 503, 200]);
  });

  test('.55 → every acquirer call takes slowCallMs', async () => {
    const t0 = Date.now();
    const { body: p } = await s.create({ amountMinor: 10055 });
    expect(Date.now() - t0).toBeGreaterThanOrEqual(280);
    const t1 = Date.now();
    await s.call('GET', `/acquirer/v1/payments/${p.id}`);
    expect(Date.now() - t1).toBeGreaterThanOrEqual(280);
  });
});

describe('cancel, reversal, confirm', () => {
  test('cancel of a pending request → cancelled, and the customer can no longer approve', async () => {
    const body = paymentBody();
    const { body: p } = await s.create(body);
    const res = await s.post(`/acquirer/v1/payments/${p.id}/cancel`, 'c1');
    expect(res.body.status).toBe('cancelled');
    await sleep(250);
    expect(await ledger(body.reference)).toMatchObject({ status: 'cancelled', capturedMinor: 0 });
  });

  test('cancel of an approved payment → 409 with the payment, status approved', async () => {
    const { body: p } = await s.create();
    await s.call('GET', `/acquirer/v1/payments/${p.id}?waitMs=5000`);
    const res = await s.post(`/acquirer/v1/payments/${p.id}/cancel`, 'c1');
    expect(res.status).toBe(409);
    expect(res.body).toMatchObject({ error: 'already-approved', status: 'approved', id: p.id });
  });

  test('cancel by reference before the create arrives → the late create answers cancelled', async () => {
    const body = paymentBody();
    const res = await s.post(`/acquirer/v1/references/${body.reference}/cancel`, 'c1');
    expect(res.status).toBe(404);
    const late = await s.create(body);
    expect(late.body.status).toBe('cancelled');
    await sleep(250);
    expect(await ledger(body.reference)).toMatchObject({ status: 'cancelled', capturedMinor: 0 });
  });

  test('reversal before confirm, twice → the authorization voided once, nothing captured; a later confirm is refused', async () => {
    const body = paymentBody();
    const { body: p } = await s.create(body);
    await s.call('GET', `/acquirer/v1/payments/${p.id}?waitMs=5000`);
    const first = await s.post(`/acquirer/v1/payments/${p.id}/reversal`, 'r1');
    const second = await s.post(`/acquirer/v1/payments/${p.id}/reversal`, 'r1');
    expect(first.body.reversal).toBe('done');
    expect(second.status).toBe(200);
    const entry = await ledger(body.reference);
    expect(entry).toMatchObject({ authorizedMinor: 39800, capturedMinor: 0, voidedMinor: 39800, reversedMinor: 0 });
    expect(entry.events.filter((e: { type: string }) => e.type === 'voided')).toHaveLength(1);
    expect((await s.post(`/acquirer/v1/payments/${p.id}/confirm`, 'c1')).status).toBe(409);
  });

  test('reversal after confirm, twice → the captured money goes back once', async () => {
    const body = paymentBody();
    const { body: p } = await s.create(body);
    await s.call('GET', `/acquirer/v1/payments/${p.id}?waitMs=5000`);
    await s.post(`/acquirer/v1/payments/${p.id}/confirm`, 'c1');
    await s.post(`/acquirer/v1/payments/${p.id}/reversal`, 'r1');
    await s.post(`/acquirer/v1/payments/${p.id}/reversal`, 'r1');
    const entry = await ledger(body.reference);
    expect(entry).toMatchObject({ capturedMinor: 39800, voidedMinor: 0, reversedMinor: 39800 });
    expect(entry.events.filter((e: { type: string }) => e.type === 'reversed')).toHaveLength(1);
  });

  test('.54 → reversal refused (422) once confirmed, allowed before', async () => {
    const { body: a } = await s.create({ amountMinor: 10054 });
    expect(a.lateReversalAllowed).toBe(false);
    await s.call('GET', `/acquirer/v1/payments/${a.id}?waitMs=5000`);
    expect((await s.post(`/acquirer/v1/payments/${a.id}/confirm`, 'f1')).body.confirmed).toBe(true);
    const refused = await s.post(`/acquirer/v1/payments/${a.id}/reversal`, 'r1');
    expect(refused.status).toBe(422);
    expect(refused.body.error).toBe('reversal-refused');
    expect((await s.call('GET', `/acquirer/v1/payments/${a.id}`)).body.reversal).toBe('refused');

    const { body: b } = await s.create({ amountMinor: 10054 });
    await s.call('GET', `/acquirer/v1/payments/${b.id}?waitMs=5000`);
    expect((await s.post(`/acquirer/v1/payments/${b.id}/reversal`, 'r1')).body.reversal).toBe('done');
  });

  test('confirm of a pending payment → 409 not-approved', async () => {
    const { body: p } = await s.create({ amountMinor: 10052 });
    const res = await s.post(`/acquirer/v1/payments/${p.id}/confirm`, 'f1');
    expect(res.status).toBe(409);
    expect(res.body.error).toBe('not-approved');
  });
});

describe('refunds', () => {
  const paidSale = async () => {
    const sale = paymentBody();
    const { body: p } = await s.create(sale);
    await s.call('GET', `/acquirer/v1/payments/${p.id}?waitMs=5000`);
    return sale;
  };

  test('a wallet refund linked to a sale is approved at once and paid back at confirm; the reversal of a paid refund takes the money back', async () => {
    const sale = await paidSale();
    const refund = { ...paymentBody(), kind: 'refund', amountMinor: 12900, originalReference: sale.reference };
    const { body: r } = await s.create(refund);
    expect(r).toMatchObject({ status: 'approved', qrUrl: null });
    expect(await ledger(refund.reference)).toMatchObject({ authorizedMinor: 12900, refundedMinor: 0 });
    await s.post(`/acquirer/v1/payments/${r.id}/confirm`, 'c');
    await s.post(`/acquirer/v1/payments/${r.id}/reversal`, 'r');
    expect(await ledger(refund.reference)).toMatchObject({ refundedMinor: 12900, reversedMinor: 12900 });
  });

  test('a refund reversed before confirm pays nothing back', async () => {
    const sale = await paidSale();
    const { body: r } = await s.create({ ...paymentBody(), kind: 'refund', amountMinor: 12900, originalReference: sale.reference });
    await s.post(`/acquirer/v1/payments/${r.id}/reversal`, 'r');
    expect(await ledger(r.reference)).toMatchObject({ authorizedMinor: 12900, voidedMinor: 12900, refundedMinor: 0, reversedMinor: 0 });
  });

  test('refunds beyond the original sale → declined', async () => {
    const sale = await paidSale();
    const first = await s.create({ ...paymentBody(), kind: 'refund', amountMinor: 30000, originalReference: sale.reference });
    const second = await s.create({ ...paymentBody(), kind: 'refund', amountMinor: 10000, originalReference: sale.reference });
    expect(first.body.status).toBe('approved');
    expect(second.body).toMatchObject({ status: 'declined', declineReason: 'Refunds would exceed the original sale' });
  });

  test('a refund without an original goes to the customer wallet like a sale', async () => {
    const refund = { ...paymentBody(), kind: 'refund', amountMinor: 12900 };
    const { body: r } = await s.create(refund);
    expect(r.status).toBe('pending');
    expect(r.qrUrl).toContain('/wallet/');
    await s.call('GET', `/acquirer/v1/payments/${r.id}?waitMs=5000`);
    await s.post(`/acquirer/v1/payments/${r.id}/confirm`, 'c');
    expect(await ledger(refund.reference)).toMatchObject({ refundedMinor: 12900, capturedMinor: 0 });
  });
});

describe('faults', () => {
  test('POST /sim/faults {down:true} → every acquirer route answers 503 until {down:false}', async () => {
    expect((await s.call('POST', '/sim/faults', { down: true })).body).toEqual({ down: true });
    expect((await s.create()).status).toBe(503);
    expect((await s.call('GET', '/acquirer/v1/payments/nope')).status).toBe(503);
    expect((await s.call('GET', '/healthz')).status).toBe(200);
    await s.call('POST', '/sim/faults', { down: false });
    expect((await s.create()).status).toBe(201);
  });

  test('{down:true, forMs} comes back up by itself', async () => {
    await s.call('POST', '/sim/faults', { down: true, forMs: 100 });
    await sleep(150);
    expect((await s.create()).status).toBe(201);
  });
});
