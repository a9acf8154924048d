// Faults with a Stripe Terminal merchant: Stripe down (every /v1 call answers 503), the worker
// SIGKILLed while the card is being authorized, and a worker killed before the start's answer
// was recorded while Stripe's search index lags. The ledger shows one intent, captured once
// after PUT completed, or voided after a cancel.
import { paymentRequest, setAcquirerDown, type Register } from '../support/register';
import { type System, eventually, sleep } from '../support/system';
import { READERS, nextPosid, presentCard, putState, setStripeFaults, startStripeSystem, stripeLedger } from './stripe-system';

jest.setTimeout(180_000);

let system: System;
let shop: Register;

beforeAll(async () => {
  // A slow customer (4 s from "Present card" to the answer), so a kill lands mid-authorization.
  ({ system, shop } = await startStripeSystem({ env: { ACK_TIMEOUT_MS: '120000', SIM_APPROVE_DELAY_MS: '4000' } }));
});
afterAll(() => system?.stop());
afterEach(async () => {
  await setAcquirerDown(system.simUrl, false);
  await setStripeFaults(system.simUrl, { searchLagMs: 0, hold: null });
  if (!system.isRunning('worker')) await system.startApp('worker');
});

const count = (entry: { events: { type: string }[] } | undefined, type: string) => entry?.events.filter((e) => e.type === type).length ?? 0;

test('Stripe down when the sale starts: the payment waits, then runs once Stripe is back — one intent, captured once', async () => {
  await setAcquirerDown(system.simUrl, true);
  const id = await shop.start(paymentRequest('61.00', { posid: nextPosid() }));
  await sleep(2000);
  expect((await shop.get(id)).body.paymentstate.state).toBe('inprogress');
  expect(await stripeLedger(system.simUrl, id)).toBeUndefined();
  await setAcquirerDown(system.simUrl, false);

  await shop.until(id, ['ready_to_complete'], 60_000);
  await putState(shop, id, 'completed');
  const money = await eventually(() => stripeLedger(system.simUrl, id), (m) => m?.status === 'succeeded', 60_000);
  expect(money).toMatchObject({ authorizedMinor: 6100, capturedMinor: 6100 });
  expect(count(money, 'created')).toBe(1);
  expect(count(money, 'captured')).toBe(1);
});

test('Stripe down when the register cancels at ready_to_complete: the void is retried until Stripe is back, nothing left authorized', async () => {
  const id = await shop.start(paymentRequest('62.00', { posid: nextPosid() }));
  await shop.until(id, ['ready_to_complete'], 60_000);
  await setAcquirerDown(system.simUrl, true);
  expect((await putState(shop, id, 'cancelled')).body.paymentstate.state).toBe('cancelled');
  await sleep(2000);
  expect(await stripeLedger(system.simUrl, id)).toMatchObject({ status: 'requires_capture', voidedMinor: 0 });
  await setAcquirerDown(system.simUrl, false);
  const money = await eventually(() => stripeLedger(system.simUrl, id), (m) => m?.status === 'canceled', 90_000, 250);
  expect(money).toMatchObject({ authorizedMinor: 6200, capturedMinor: 0, voidedMinor: 6200 });
});

test('worker killed while the card is being authorized: restarted → ready_to_complete from the same intent, captured once at PUT completed', async () => {
  const posid = nextPosid();
  const id = await shop.start(paymentRequest('63.00', { posid }));
  await eventually(() => shop.get(id), (r) => r.body.paymentstate.message === 'Present card');
  expect(await presentCard(system.simUrl, posid)).toBe(200); // the reader now authorizes (2 s)
  await system.killApp('worker');
  await eventually(() => stripeLedger(system.simUrl, id), (m) => m?.status === 'requires_capture', 30_000, 100);

  await system.startApp('worker');
  const ready = await shop.until(id, ['ready_to_complete'], 60_000);
  expect(ready.paymentstate.receiptrow).toBe('Card •••• 4242');
  expect(await stripeLedger(system.simUrl, id)).toMatchObject({ capturedMinor: 0 });
  await eventually(() => shop.put(id, 'completed'), (r) => r.status === 200, 30_000, 250);
  const money = await eventually(() => stripeLedger(system.simUrl, id), (m) => m?.status === 'succeeded', 60_000);
  expect(money).toMatchObject({ authorizedMinor: 6300, capturedMinor: 6300 });
  expect(count(money, 'created')).toBe(1);
  expect(count(money, 'authorized')).toBe(1);
});

test('worker killed, then the register cancels while the card is being authorized: restarted → cancelled, the hold voided', async () => {
  const posid = nextPosid();
  const id = await shop.start(paymentRequest('64.00', { posid }));
  await eventually(() => shop.get(id), (r) => r.body.paymentstate.message === 'Present card');
  expect(await presentCard(system.simUrl, posid)).toBe(200);
  await system.killApp('worker');
  const put = await eventually(() => shop.put(id, 'cancelled'), (r) => r.status !== 503, 5_000, 250).catch(() => null);
  await system.startApp('worker');
  if (put === null) await eventually(() => shop.put(id, 'cancelled'), (r) => r.status === 200, 60_000, 250);
  expect((await shop.until(id, ['cancelled'], 60_000)).paymentstate.state).toBe('cancelled');
  const money = await eventually(() => stripeLedger(system.simUrl, id), (m) => m?.status === 'canceled', 60_000, 250);
  // A presented card cannot be stopped on the reader: it was authorized, and then voided.
  expect(money).toMatchObject({ authorizedMinor: 6400, capturedMinor: 0, voidedMinor: 6400 });
});

test('worker A killed before the start was recorded (the card authorized), search lagging: the cancel on worker B finds the intent by its create → the hold voided, nothing captured', async () => {
  // Search never finds a new intent here; the reader's reads hang, so worker A's start never answers.
  const posid = nextPosid();
  await setStripeFaults(system.simUrl, { searchLagMs: 600_000, hold: { path: `/v1/terminal/readers/${READERS[posid]}`, ms: 120_000 } });
  const id = await shop.start(paymentRequest('65.00', { posid }));
  // A created the intent and handed it to the reader (the customer has tapped a card): kill it
  // now, long before its start attempt times out (20 s) and is retried elsewhere.
  await eventually(() => stripeLedger(system.simUrl, id), (m) => m?.status === 'requires_confirmation', 30_000, 50);
  await system.killApp('worker');
  await setStripeFaults(system.simUrl, { hold: null });
  await eventually(() => stripeLedger(system.simUrl, id), (m) => m?.status === 'requires_capture', 30_000, 100); // authorized: money held

  await system.startApp('worker'); // B: a process that never saw this payment's intent
  expect((await putState(shop, id, 'cancelled')).body.paymentstate.state).toBe('cancelled');
  const money = await eventually(() => stripeLedger(system.simUrl, id), (m) => m?.status === 'canceled', 60_000, 250);
  expect(money).toMatchObject({ authorizedMinor: 6500, capturedMinor: 0, voidedMinor: 6500 });
  expect(count(money, 'created')).toBe(1);
  expect(count(money, 'authorized')).toBe(1);
  expect((await shop.get(id)).body.paymentstate.state).toBe('cancelled');
});

test('the register cancels while the intent\'s create is still executing at Stripe, search lagging: the stop waits the create out (409) and cancels that intent; the reader never takes the card', async () => {
  await setStripeFaults(system.simUrl, { searchLagMs: 600_000, hold: { path: '/v1/payment_intents', ms: 3000 } });
  const id = await shop.start(paymentRequest('66.00', { posid: nextPosid() }));
  expect((await putState(shop, id, 'cancelled')).body.paymentstate.state).toBe('cancelled');
  const money = await eventually(() => stripeLedger(system.simUrl, id), (m) => m?.status === 'canceled', 60_000, 250);
  await sleep(5000); // longer than the simulated customer takes to tap and be authorized on a reader left prompting
  expect(await stripeLedger(system.simUrl, id)).toMatchObject({ status: 'canceled', authorizedMinor: 0, capturedMinor: 0 });
  expect(count(money, 'created')).toBe(1);
});
