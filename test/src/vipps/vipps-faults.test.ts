// Faults with a Vipps MobilePay merchant: Vipps down (every call answers 503), its rate limit
// hit, the worker SIGKILLed while the customer is in the app, and a create whose answer is held
// until the start is tried again. Vipps's books show one payment, captured once after PUT completed, or nothing
// reserved after a cancel.
import { setAcquirerDown, type Register } from '../support/register';
import { type System, eventually, sleep } from '../support/system';
import { countEvents, customer, moneyOf, nokRequest, putState, startVippsSystem, untilRecord, vippsCalls, vippsFaults, vippsRecord } from './vipps-system';

jest.setTimeout(180_000);

let system: System;
let oslo: Register;

beforeAll(async () => {
  ({ system, oslo } = await startVippsSystem({ env: { ACK_TIMEOUT_MS: '120000' } }));
});
afterAll(() => system?.stop());
afterEach(async () => {
  await setAcquirerDown(system.simUrl, false);
  await vippsFaults(system.simUrl, { customer: 'auto', hold: null, fail: null, rateLimit: null });
  if (!system.isRunning('worker')) await system.startApp('worker');
});

test('Vipps down when the sale starts: the payment waits, then runs once Vipps is back — one payment, captured once', async () => {
  await setAcquirerDown(system.simUrl, true);
  const id = await oslo.start(nokRequest('61.00'));
  await sleep(3000);
  expect((await oslo.get(id)).body.paymentstate.state).toBe('inprogress');
  expect(await vippsRecord(system.simUrl, id)).toBeUndefined();
  await setAcquirerDown(system.simUrl, false);

  await oslo.until(id, ['ready_to_complete'], 90_000);
  await putState(oslo, id, 'completed');
  const rec = await untilRecord(system.simUrl, id, (r) => r.aggregate.capturedAmount.value > 0);
  expect(moneyOf(rec)).toEqual({ authorized: 6100, captured: 6100, cancelled: 0, refunded: 0 });
  expect(countEvents(rec, 'CREATED')).toBe(1);
  expect(countEvents(rec, 'CAPTURED')).toBe(1);
});

test('Vipps down when the register cancels at ready_to_complete: cancelled at once, the release retried until Vipps is back, nothing captured', async () => {
  const id = await oslo.start(nokRequest('62.00'));
  await oslo.until(id, ['ready_to_complete'], 60_000);
  await setAcquirerDown(system.simUrl, true);
  expect((await putState(oslo, id, 'cancelled')).body.paymentstate.state).toBe('cancelled');
  await sleep(2000);
  expect(moneyOf(await vippsRecord(system.simUrl, id))).toMatchObject({ authorized: 6200, cancelled: 0 });
  await setAcquirerDown(system.simUrl, false);
  const rec = await untilRecord(system.simUrl, id, (r) => r.aggregate.cancelledAmount.value > 0, 90_000);
  expect(moneyOf(rec)).toEqual({ authorized: 6200, captured: 0, cancelled: 6200, refunded: 0 });
});

test('Vipps answers 429 to a run of capture calls: PUT completed stands, the capture goes through once Vipps lets it', async () => {
  const id = await oslo.start(nokRequest('63.00'));
  await oslo.until(id, ['ready_to_complete'], 60_000);
  await vippsFaults(system.simUrl, { fail: { path: '/capture', status: 429, count: 3 } });
  expect((await putState(oslo, id, 'completed')).body.paymentstate.state).toBe('completed');
  const rec = await untilRecord(system.simUrl, id, (r) => r.aggregate.capturedAmount.value > 0, 60_000);
  expect(moneyOf(rec)).toMatchObject({ captured: 6300 });
  expect(countEvents(rec, 'CAPTURED')).toBe(1);
});

test('worker killed while the customer is in the app: restarted → ready_to_complete from the same payment, captured once at PUT completed', async () => {
  await vippsFaults(system.simUrl, { customer: 'manual' });
  const id = await oslo.start(nokRequest('64.00'));
  await untilRecord(system.simUrl, id, (r) => r.state === 'CREATED', 30_000);
  await system.killApp('worker');
  await customer(system.simUrl, id, 'approve');

  await system.startApp('worker');
  await oslo.until(id, ['ready_to_complete'], 90_000);
  expect(moneyOf(await vippsRecord(system.simUrl, id))).toMatchObject({ authorized: 6400, captured: 0 });
  await putState(oslo, id, 'completed');
  const rec = await untilRecord(system.simUrl, id, (r) => r.aggregate.capturedAmount.value > 0, 60_000);
  expect(moneyOf(rec)).toEqual({ authorized: 6400, captured: 6400, cancelled: 0, refunded: 0 });
  expect(countEvents(rec, 'CREATED')).toBe(1);
  expect(countEvents(rec, 'CAPTURED')).toBe(1);
});

test('worker killed, the customer approves and the register cancels meanwhile: restarted → cancelled, the reservation released', async () => {
  await vippsFaults(system.simUrl, { customer: 'manual' });
  const id = await oslo.start(nokRequest('65.00'));
  await untilRecord(system.simUrl, id, (r) => r.state === 'CREATED', 30_000);
  await system.killApp('worker');
  await customer(system.simUrl, id, 'approve');
  const put = await eventually(() => oslo.put(id, 'cancelled'), (r) => r.status !== 503, 5_000, 250).catch(() => null);
  await system.startApp('worker');
  if (put === null) await eventually(() => oslo.put(id, 'cancelled'), (r) => r.status === 200, 60_000, 250);
  expect((await oslo.until(id, ['cancelled'], 60_000)).paymentstate.state).toBe('cancelled');
  const rec = await untilRecord(system.simUrl, id, (r) => r.aggregate.cancelledAmount.value > 0, 60_000);
  expect(moneyOf(rec)).toEqual({ authorized: 6500, captured: 0, cancelled: 6500, refunded: 0 });
});

test('the create’s answer is held until the start is tried again: the retried create replays it (same Idempotency-Key) — one payment at Vipps', async () => {
  await vippsFaults(system.simUrl, { hold: { path: '/epayment/v1/payments', ms: 20_000 } });
  const creates = await vippsCalls(system.simUrl, 'POST /epayment/v1/payments');
  const id = await oslo.start(nokRequest('66.00'));
  await eventually(() => vippsCalls(system.simUrl, 'POST /epayment/v1/payments'), (n) => n >= creates + 2, 60_000, 250);
  await vippsFaults(system.simUrl, { hold: null });
  await oslo.until(id, ['ready_to_complete'], 90_000);
  await putState(oslo, id, 'completed');
  const rec = await untilRecord(system.simUrl, id, (r) => r.aggregate.capturedAmount.value > 0, 60_000);
  expect(countEvents(rec, 'CREATED')).toBe(1);
  expect(moneyOf(rec)).toMatchObject({ authorized: 6600, captured: 6600 });
});
