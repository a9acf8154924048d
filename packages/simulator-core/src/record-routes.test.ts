import { paymentBody, startSimulator } from './__fixtures__/start';
import { listPage } from './stripe/stripe-list';

type Sim = Awaited<ReturnType<typeof startSimulator>>;
let s: Sim;

beforeEach(async () => {
  s = await startSimulator();
});
afterEach(async () => {
  await s.close();
});

const from = () => new Date(Date.now() - 60_000).toISOString();
const to = () => new Date(Date.now() + 60_000).toISOString();
const records = (q: Record<string, string>) => s.call('GET', `/acquirer/v1/records?${new URLSearchParams({ from: from(), to: to(), ...q })}`);

test('GET /acquirer/v1/records in pages of 2 → every record of the merchant exactly once; the next cursor null after the last', async () => {
  const refs: string[] = [];
  for (let i = 0; i < 5; i++) {
    const body = paymentBody();
    refs.push(body.reference);
    await s.create(body);
  }
  await s.create({ ...paymentBody(), merchant: 'other' });
  const seen: string[] = [];
  let after: string | null = null;
  let pages = 0;
  do {
    const page = await records({ merchant: 'demo', limit: '2', ...(after !== null ? { after } : {}) });
    expect(page.status).toBe(200);
    seen.push(...page.body.records.map((r: { reference: string }) => r.reference));
    after = page.body.next;
    pages++;
  } while (after !== null);
  expect(seen).toHaveLength(5);
  expect([...seen].sort()).toEqual([...refs].sort());
  expect(pages).toBe(3);
});

test('a record shows the money: held while approved and unconfirmed, captured after confirm', async () => {
  const body = paymentBody();
  const created = await s.create(body);
  await s.call('GET', `/acquirer/v1/payments/${created.body.id}?waitMs=5000`);
  expect((await records({ merchant: 'demo' })).body.records[0]).toMatchObject({ reference: body.reference, heldMinor: 39800, capturedMinor: 0 });
  await s.post(`/acquirer/v1/payments/${created.body.id}/confirm`, 'c1');
  expect((await records({ merchant: 'demo' })).body.records[0]).toMatchObject({ heldMinor: 0, capturedMinor: 39800 });
});

test('a period that is not one, or a limit above 1000 → 400 naming it', async () => {
  expect((await s.call('GET', `/acquirer/v1/records?from=yesterday&to=${to()}`)).body).toMatchObject({ error: 'bad-request', message: 'from must be an ISO 8601 instant' });
  expect((await records({ limit: '1001' })).status).toBe(400);
});

test('POST /sim/inject: a capture on a voided payment, a hold put back, a refund paid again, money under an unknown reference', async () => {
  const sale = paymentBody();
  const created = await s.create(sale);
  await s.call('GET', `/acquirer/v1/payments/${created.body.id}?waitMs=5000`);
  await s.post(`/acquirer/v1/payments/${created.body.id}/reversal`, 'r1');
  expect((await s.call('POST', `/sim/inject/${sale.reference}/keep-hold`)).status).toBe(200);
  expect((await records({ merchant: 'demo' })).body.records[0]).toMatchObject({ heldMinor: 39800, voidedMinor: 0 });
  expect((await s.call('POST', `/sim/inject/${sale.reference}/capture`)).body).toEqual({ reference: sale.reference, capturedMinor: 39800 });
  expect((await s.call('POST', `/sim/inject/${sale.reference}/refund-again`)).status).toBe(409);
  expect((await s.call('POST', '/sim/inject/records', { merchant: 'demo', amountMinor: 4200, reference: 'not-ours' })).status).toBe(201);
  const all = (await records({ merchant: 'demo' })).body.records;
  expect(all.map((r: { reference: string }) => r.reference)).toEqual([sale.reference, 'not-ours']);
  expect(all[1]).toMatchObject({ capturedMinor: 4200, heldMinor: 0 });
  expect((await s.call('POST', '/sim/inject/nobody/capture')).status).toBe(404);
});

test('a Stripe list page → newest first within created bounds, limit and starting_after', () => {
  const items = [1, 2, 3, 4, 5].map((n) => ({ id: `pi_${n}`, created: 100 + n }));
  expect(listPage(items, { created: { gte: '102', lt: '105' }, limit: '2' })).toEqual({ data: [items[3], items[2]], has_more: true });
  expect(listPage(items, { created: { gte: '102', lt: '105' }, limit: '2', starting_after: 'pi_3' })).toEqual({ data: [items[1]], has_more: false });
  expect(() => listPage(items, { limit: '101' })).toThrow('limit');
});
