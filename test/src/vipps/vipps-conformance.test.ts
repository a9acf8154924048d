// A Vipps MobilePay merchant end to end: the register's answers and the simulated Vipps's books.
// The customer's approval only reserves the amount; it is captured at PUT completed, and every
// way a payment ends without one (the register's cancel or silence, the customer's no, an
// expiry) leaves nothing reserved. Refunds of a Vipps sale are refunds of that sale, paid only
// once the register completes them.
import { paymentRequest, type Register } from '../support/register';
import { type System, eventually, sleep } from '../support/system';
import { countEvents, customer, moneyOf, MSN, nokRequest, putState, startVippsSystem, untilRecord, vippsFaults, vippsRecord } from './vipps-system';

jest.setTimeout(180_000);

let system: System;
let oslo: Register;

beforeAll(async () => {
  // A register that goes silent is answered for within 8 s; a customer who never answers, 20 s.
  ({ system, oslo } = await startVippsSystem({ env: { ACK_TIMEOUT_MS: '8000', PAYMENT_EXPIRY_MS: '20000' } }));
});
afterAll(() => system?.stop());
afterEach(() => vippsFaults(system.simUrl, { customer: 'auto' }));

const money = async (id: string) => moneyOf(await vippsRecord(system.simUrl, id));

test('a sale: the register shows the one-time QR while the customer approves; nothing captured before PUT completed, then captured once', async () => {
  await vippsFaults(system.simUrl, { customer: 'manual' });
  const id = await oslo.start(nokRequest('398.00'));
  const waiting = await eventually(() => oslo.get(id), (r) => r.body.paymentstate.qrcode !== null, 30_000);
  expect(waiting.body.paymentstate).toMatchObject({ state: 'inprogress', message: 'Scan the QR code with the Vipps or MobilePay app' });
  const created = await vippsRecord(system.simUrl, id);
  expect(created).toMatchObject({ msn: MSN, state: 'CREATED', userFlow: 'QR', amount: { currency: 'NOK', value: 39_800 } });
  expect(waiting.body.paymentstate.qrcode).toContain('/vipps/landing');

  await customer(system.simUrl, id, 'approve');
  const ready = await oslo.until(id, ['ready_to_complete'], 60_000);
  expect(ready.paymentstate.qrcode).toBeNull();
  expect(ready.paymentstate.receiptsection).toContain('Wallet\tVipps MobilePay');
  expect(await money(id)).toEqual({ authorized: 39_800, captured: 0, cancelled: 0, refunded: 0 });
  await sleep(1500);
  expect((await money(id))?.captured).toBe(0);

  expect((await putState(oslo, id, 'completed')).body.paymentstate.state).toBe('completed');
  const after = await untilRecord(system.simUrl, id, (r) => r.aggregate.capturedAmount.value > 0);
  expect(moneyOf(after)).toEqual({ authorized: 39_800, captured: 39_800, cancelled: 0, refunded: 0 });
  await sleep(1000);
  expect(countEvents(await vippsRecord(system.simUrl, id), 'CAPTURED')).toBe(1);
});

test('the register cancels before the customer approves → cancelled; the Vipps payment is terminated and can no longer be approved', async () => {
  await vippsFaults(system.simUrl, { customer: 'manual' });
  const id = await oslo.start(nokRequest('120.00'));
  await untilRecord(system.simUrl, id, (r) => r.state === 'CREATED', 30_000);
  expect((await putState(oslo, id, 'cancelled')).body.paymentstate.state).toBe('cancelled');
  const rec = await untilRecord(system.simUrl, id, (r) => r.state === 'TERMINATED');
  expect(moneyOf(rec)).toMatchObject({ authorized: 0, captured: 0 });
  await expect(customer(system.simUrl, id, 'approve')).rejects.toThrow(/409/);
  expect((await oslo.get(id)).body.paymentstate.state).toBe('cancelled');
});

test('the register cancels at ready_to_complete → cancelled; the reservation is released, nothing captured', async () => {
  const id = await oslo.start(nokRequest('121.00'));
  await oslo.until(id, ['ready_to_complete'], 60_000);
  expect((await putState(oslo, id, 'cancelled')).body.paymentstate.state).toBe('cancelled');
  const rec = await untilRecord(system.simUrl, id, (r) => r.aggregate.cancelledAmount.value > 0);
  expect(moneyOf(rec)).toEqual({ authorized: 12_100, captured: 0, cancelled: 12_100, refunded: 0 });
});

test('the register goes silent at ready_to_complete → cancelled after the acknowledgement timeout, the reservation released', async () => {
  const id = await oslo.start(nokRequest('122.00'));
  await oslo.until(id, ['ready_to_complete'], 60_000);
  expect((await oslo.until(id, ['cancelled'], 60_000)).paymentstate.state).toBe('cancelled');
  const rec = await untilRecord(system.simUrl, id, (r) => r.aggregate.cancelledAmount.value > 0);
  expect(moneyOf(rec)).toEqual({ authorized: 12_200, captured: 0, cancelled: 12_200, refunded: 0 });
});

test('a late cancel after completed → cancelled; the captured amount is refunded once', async () => {
  const id = await oslo.start(nokRequest('123.00'));
  await oslo.until(id, ['ready_to_complete'], 60_000);
  await putState(oslo, id, 'completed');
  await untilRecord(system.simUrl, id, (r) => r.aggregate.capturedAmount.value > 0);
  expect((await putState(oslo, id, 'cancelled')).body.paymentstate.state).toBe('cancelled');
  const rec = await untilRecord(system.simUrl, id, (r) => r.aggregate.refundedAmount.value > 0);
  expect(moneyOf(rec)).toEqual({ authorized: 12_300, captured: 12_300, cancelled: 0, refunded: 12_300 });
  await sleep(1000);
  expect(countEvents(await vippsRecord(system.simUrl, id), 'REFUNDED')).toBe(1);
});

test('a refund crediting a Vipps sale: approved at once, refunded on the sale only at PUT completed, once; a cancelled refund pays nothing', async () => {
  const sale = await oslo.start(nokRequest('300.00'));
  await oslo.until(sale, ['ready_to_complete'], 60_000);
  await putState(oslo, sale, 'completed');
  await untilRecord(system.simUrl, sale, (r) => r.aggregate.capturedAmount.value > 0);

  const dropped = await oslo.start(nokRequest('-50.00', { creditpaymentid: sale }));
  await oslo.until(dropped, ['ready_to_complete'], 30_000);
  expect((await putState(oslo, dropped, 'cancelled')).body.paymentstate.state).toBe('cancelled');

  const refund = await oslo.start(nokRequest('-100.00', { creditpaymentid: sale }));
  const ready = await oslo.until(refund, ['ready_to_complete'], 30_000);
  expect(ready.creditpaymentid).toBe(sale);
  expect((await money(sale))?.refunded).toBe(0);
  await putState(oslo, refund, 'completed');
  const rec = await untilRecord(system.simUrl, sale, (r) => r.aggregate.refundedAmount.value > 0);
  expect(moneyOf(rec)).toEqual({ authorized: 30_000, captured: 30_000, cancelled: 0, refunded: 10_000 });
  await sleep(1000);
  expect(countEvents(await vippsRecord(system.simUrl, sale), 'REFUNDED')).toBe(1);
  expect(await vippsRecord(system.simUrl, refund)).toBeUndefined(); // no payment of its own at Vipps
});

test('the customer declines in the app (.51) → cancelled with the reason; nothing reserved', async () => {
  const id = await oslo.start(nokRequest('124.51'));
  const done = await oslo.until(id, ['cancelled'], 60_000);
  expect(done.paymentstate.message).toBe('The customer declined the payment in the Vipps MobilePay app');
  expect(await vippsRecord(system.simUrl, id)).toMatchObject({ state: 'ABORTED', aggregate: { authorizedAmount: { value: 0 } } });
});

test('the Vipps payment expires (.56) → cancelled with the reason; a customer who never answers → cancelled at our expiry, the Vipps payment terminated', async () => {
  const expired = await oslo.start(nokRequest('125.56'));
  expect((await oslo.until(expired, ['cancelled'], 60_000)).paymentstate.message).toBe('The wallet request expired');
  expect(await vippsRecord(system.simUrl, expired)).toMatchObject({ state: 'EXPIRED' });

  const silent = await oslo.start(nokRequest('125.52'));
  expect((await oslo.until(silent, ['cancelled'], 60_000)).paymentstate.state).toBe('cancelled');
  const rec = await untilRecord(system.simUrl, silent, (r) => r.state === 'TERMINATED');
  expect(moneyOf(rec)).toMatchObject({ authorized: 0, captured: 0 });
});

test('a sale in a currency the sales unit does not take → cancelled with a clear reason; nothing sent to Vipps', async () => {
  const id = await oslo.start(paymentRequest('126.00'));
  const done = await oslo.until(id, ['cancelled'], 30_000);
  expect(done.paymentstate.message).toBe('Vipps MobilePay takes NOK at this merchant, not SEK');
  expect(await vippsRecord(system.simUrl, id)).toBeUndefined();
});
