import { Compile } from 'typebox/compile';
import { VippsLedgers, VippsReportPage } from '@payments/contract/wire';
import { startSimulator, sleep } from '../__fixtures__/start';
import { MSN, vippsClient } from './__fixtures__/vipps-client';

const isPage = Compile(VippsReportPage);
const isLedgers = Compile(VippsLedgers);

type Started = Awaited<ReturnType<typeof startSimulator>>;
let s: Started;
let v: Awaited<ReturnType<typeof vippsClient>>;
beforeEach(async () => {
  s = await startSimulator({ approveDelayMs: 30 });
  v = await vippsClient(s);
});
afterEach(() => s.close());

const report = (p: string) => s.call('GET', p, undefined, v.headers());

async function captured(value: number): Promise<string> {
  const reference = v.reference();
  await v.post('/payments', `${reference}-create`, v.createBody(reference, value));
  for (let i = 0; i < 100 && (await v.get(`/payments/${reference}`)).body.state !== 'AUTHORIZED'; i++) await sleep(20);
  await v.post(`/payments/${reference}/capture`, `${reference}-capture`, { modificationAmount: { currency: 'NOK', value } });
  return reference;
}

test('GET /settlement/v1/ledgers?settlesForRecipientHandles=api:MSN → the one ledger of the MSN', async () => {
  const res = await report(`/settlement/v1/ledgers?settlesForRecipientHandles=api:${MSN}`);
  expect(res.status).toBe(200);
  expect(isLedgers.Check(res.body)).toBe(true);
  expect(res.body.items).toEqual([expect.objectContaining({ ledgerId: MSN, settlesForRecipientHandles: [`api:${MSN}`] })]);
});

test('GET …/funds/feed → captures and refunds in time order, refunds negative, each with its own pspReference and the running balance', async () => {
  const a = await captured(10000);
  const b = await captured(5000);
  await v.post(`/payments/${a}/refund`, `${a}-refund`, { modificationAmount: { currency: 'NOK', value: 2500 } });
  const res = await report(`/report/v2/ledgers/${MSN}/funds/feed`);
  expect(res.status).toBe(200);
  expect(isPage.Check(res.body)).toBe(true);
  expect(res.body.items.map((e: { entryType: string; reference: string; amount: number; balanceAfter: number }) => [e.entryType, e.reference, e.amount, e.balanceAfter])).toEqual([
    ['capture', a, 10000, 10000],
    ['capture', b, 5000, 15000],
    ['refund', a, -2500, 12500],
  ]);
  expect(new Set(res.body.items.map((e: { pspReference: string }) => e.pspReference)).size).toBe(3);
  expect(res.body.tryLater).toBe(true);
  const fees = await report(`/report/v2/ledgers/${MSN}/fees/feed`);
  expect(fees.body).toMatchObject({ items: [], tryLater: true });
});

test('GET …/funds/dates/{today} → tryLater, nothing; a closed date → its entries, hasMore false; without a token → 401', async () => {
  await captured(1000);
  const today = new Date().toISOString().slice(0, 10);
  expect((await report(`/report/v2/ledgers/${MSN}/funds/dates/${today}`)).body).toEqual({ items: [], tryLater: true });
  expect((await report(`/report/v2/ledgers/${MSN}/funds/dates/2020-01-01`)).body).toEqual({ items: [], hasMore: false, tryLater: false });
  expect((await s.call('GET', `/report/v2/ledgers/${MSN}/funds/feed`, undefined, { 'Ocp-Apim-Subscription-Key': 'k' })).status).toBe(401);
});

test('POST /sim/vipps/inject/{reference}/keep-hold and refund-again → the reservation stays; the last refund is paid again under its key', async () => {
  const reference = v.reference();
  await v.post('/payments', `${reference}-create`, v.createBody(reference, 4000));
  for (let i = 0; i < 100 && (await v.get(`/payments/${reference}`)).body.state !== 'AUTHORIZED'; i++) await sleep(20);
  expect((await s.call('POST', `/sim/vipps/inject/${reference}/keep-hold`, {})).status).toBe(409);
  await v.post(`/payments/${reference}/cancel`, `${reference}-cancel`);
  expect((await s.call('POST', `/sim/vipps/inject/${reference}/keep-hold`, {})).status).toBe(200);
  expect((await v.get(`/payments/${reference}`)).body.aggregate.cancelledAmount.value).toBe(0);

  const sale = await captured(9000);
  await v.post(`/payments/${sale}/refund`, 'refund-key-1', { modificationAmount: { currency: 'NOK', value: 1000 } });
  expect((await s.call('POST', `/sim/vipps/inject/${sale}/refund-again`, {})).status).toBe(200);
  const refunds = (await v.get(`/payments/${sale}/events`)).body.filter((e: { name: string }) => e.name === 'REFUNDED');
  expect(refunds.map((e: { idempotencyKey: string }) => e.idempotencyKey)).toEqual(['refund-key-1', 'refund-key-1']);
});
