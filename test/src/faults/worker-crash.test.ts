// The worker SIGKILLed at each step of a payment, then restarted: the payment ends right, and
// the acquirer's ledger shows exactly one capture (and at most one reversal). The crash points
// are pinned by what Temporal and the ledger show at the moment of the kill.
import type { Client } from '@temporalio/client';
import { Register, countEvents, ledger, paymentRequest, setAcquirerDown, type Reply } from '../support/register';
import { System, eventually, sleep } from '../support/system';
import { connectTemporal, workflowView } from '../support/temporal';

jest.setTimeout(180_000);

let system: System;
let pos: Register;
let temporal: { client: Client; close: () => Promise<void> };

beforeAll(async () => {
  // A long ACK timeout: these tests decide when the register answers.
  system = await System.start({ env: { ACK_TIMEOUT_MS: '120000' } });
  pos = new Register(system.apiUrl);
  temporal = await connectTemporal(system.temporalAddress, system.env.TEMPORAL_NAMESPACE);
});
afterAll(async () => {
  await temporal?.close();
  await system?.stop();
});

/** A register call that must answer within the contract's 1 s, whatever is down. */
async function within1s<T>(call: () => Promise<Reply<T>>): Promise<Reply<T>> {
  const t0 = performance.now();
  const reply = await call();
  expect(performance.now() - t0).toBeLessThan(1000);
  return reply;
}

/** The register's PUT, retried as Sitoo POS would until it gets a definitive answer (not 503). */
async function putUntilAnswered(id: string, state: string, timeoutMs = 60_000): Promise<Reply> {
  return eventually(() => pos.put(id, state), (r) => r.status !== 503, timeoutMs, 250);
}

/** Restarts the worker, if a test left it down. */
afterEach(async () => {
  if (!system.isRunning('worker')) await system.startApp('worker');
  await setAcquirerDown(system.simUrl, false);
});

test('worker killed before the payment’s first step: GET still answers within 1 s; restarted → completed, captured once', async () => {
  await system.killApp('worker');
  const id = await pos.start(paymentRequest('41.00'));
  const meanwhile = await within1s(() => pos.get(id));
  expect([200, 503]).toContain(meanwhile.status);
  if (meanwhile.status === 200) expect(meanwhile.body.paymentstate.state).toBe('inprogress');
  expect(await ledger(system.simUrl, id)).toBeUndefined(); // nothing reached the acquirer

  await system.startApp('worker');
  await pos.until(id, ['ready_to_complete'], 60_000);
  expect((await putUntilAnswered(id, 'completed')).body).toMatchObject({ paymentstate: { state: 'completed' } });
  const money = await eventually(() => ledger(system.simUrl, id), (m) => m?.confirmed === true, 60_000);
  expect(money).toMatchObject({ capturedMinor: 4100, reversedMinor: 0 });
  expect(countEvents(money, 'captured')).toBe(1);
});

test('worker killed while the acquirer call is being retried (acquirer down): restarted → one payment at the acquirer, captured once', async () => {
  await setAcquirerDown(system.simUrl, true);
  const id = await pos.start(paymentRequest('42.00'));
  await sleep(1500); // the create has been tried and refused at least once
  await system.killApp('worker');
  expect(await ledger(system.simUrl, id)).toBeUndefined();
  await setAcquirerDown(system.simUrl, false);

  await system.startApp('worker');
  await pos.until(id, ['ready_to_complete'], 60_000);
  await putUntilAnswered(id, 'completed');
  const money = await eventually(() => ledger(system.simUrl, id), (m) => m?.confirmed === true, 60_000);
  expect(money).toMatchObject({ capturedMinor: 4200, reversedMinor: 0 });
  expect(countEvents(money, 'created')).toBe(1);
  expect(countEvents(money, 'captured')).toBe(1);
});

test('worker killed after the acquirer approved, before ready_to_complete is recorded (.55): restarted → completed, captured once', async () => {
  // .55: each acquirer call takes effect at once and answers 5 s late, so the money has moved
  // while the worker still waits for the answer.
  const id = await pos.start(paymentRequest('100.55'));
  await eventually(() => ledger(system.simUrl, id), (m) => (m?.authorizedMinor ?? 0) > 0, 30_000, 25);
  await system.killApp('worker');
  expect((await workflowView(temporal.client, id)).paymentState).toBe('inprogress'); // not yet recorded

  await system.startApp('worker');
  await pos.until(id, ['ready_to_complete'], 90_000);
  expect((await putUntilAnswered(id, 'completed')).body).toMatchObject({ paymentstate: { state: 'completed' } });
  const money = await eventually(() => ledger(system.simUrl, id), (m) => m?.confirmed === true, 60_000);
  expect(money).toMatchObject({ capturedMinor: 10055, reversedMinor: 0 });
  expect(countEvents(money, 'captured')).toBe(1);
  expect(countEvents(money, 'reversed')).toBe(0);
});

test('the same crash point, then the register cancels → cancelled, one authorization voided, nothing captured', async () => {
  const id = await pos.start(paymentRequest('200.55'));
  await eventually(() => ledger(system.simUrl, id), (m) => (m?.authorizedMinor ?? 0) > 0, 30_000, 25);
  await system.killApp('worker');
  expect((await workflowView(temporal.client, id)).paymentState).toBe('inprogress');

  await system.startApp('worker');
  await pos.until(id, ['ready_to_complete'], 90_000);
  expect((await putUntilAnswered(id, 'cancelled')).body).toMatchObject({ paymentstate: { state: 'cancelled' } });
  const money = await eventually(() => ledger(system.simUrl, id), (m) => m?.reversal === 'done', 60_000);
  expect(money).toMatchObject({ authorizedMinor: 20055, capturedMinor: 0, voidedMinor: 20055 });
  expect(countEvents(money, 'authorized')).toBe(1);
  expect(countEvents(money, 'voided')).toBe(1);
});

test('worker killed while waiting for the register’s acknowledgement: PUT answers 503 in time; restarted → the retried PUT completes it, captured once', async () => {
  const id = await pos.start(paymentRequest('43.00'));
  await pos.until(id, ['ready_to_complete']);
  await system.killApp('worker');

  const meanwhile = await within1s(() => pos.put(id, 'completed'));
  expect(meanwhile.status).toBe(503);
  expect(meanwhile.body).toMatchObject({ error_code: 'unavailable' });
  expect(countEvents(await ledger(system.simUrl, id), 'confirmed')).toBe(0);

  await system.startApp('worker');
  const done = await putUntilAnswered(id, 'completed');
  expect(done.status).toBe(200);
  expect(done.body).toMatchObject({ paymentstate: { state: 'completed' } });
  const money = await eventually(() => ledger(system.simUrl, id), (m) => m?.confirmed === true, 60_000);
  expect(money).toMatchObject({ capturedMinor: 4300, reversedMinor: 0 });
  expect(countEvents(money, 'captured')).toBe(1);
});

test('worker killed during a reversal (.55: voided at the acquirer, answer not yet back): restarted → cancelled, voided exactly once', async () => {
  const id = await pos.start(paymentRequest('300.55'));
  await pos.until(id, ['ready_to_complete'], 60_000);
  expect((await within1s(() => pos.put(id, 'cancelled'))).body).toMatchObject({ paymentstate: { state: 'cancelled' } });
  await eventually(() => ledger(system.simUrl, id), (m) => (m?.voidedMinor ?? 0) > 0, 30_000, 25);
  await system.killApp('worker');
  expect((await workflowView(temporal.client, id)).reversalState).toBe('pending'); // the workflow has not heard back

  await system.startApp('worker');
  await eventually(() => workflowView(temporal.client, id), (v) => v.reversalState === 'done', 90_000, 250);
  expect((await pos.get(id)).body.paymentstate.state).toBe('cancelled');
  const money = await ledger(system.simUrl, id);
  expect(money).toMatchObject({ authorizedMinor: 30055, capturedMinor: 0, voidedMinor: 30055 });
  expect(countEvents(money, 'authorized')).toBe(1);
  expect(countEvents(money, 'voided')).toBe(1);
});

describe('the worker down when the ACK timer fires', () => {
  let timed: System;
  let register: Register;

  beforeAll(async () => {
    timed = await System.start({ env: { ACK_TIMEOUT_MS: '3000' } });
    register = new Register(timed.apiUrl);
  });
  afterAll(() => timed?.stop());

  test('nothing is reversed while no worker runs; once one returns, the reversal happens, once', async () => {
    const id = await register.start(paymentRequest('44.00'));
    await register.until(id, ['ready_to_complete']);
    await timed.killApp('worker');
    await sleep(6000); // the 3 s timer falls due with no worker to act on it

    expect((await ledger(timed.simUrl, id))?.voidedMinor).toBe(0);
    const t0 = performance.now();
    const meanwhile = await register.get(id);
    expect(performance.now() - t0).toBeLessThan(1000);
    // No worker to answer the query: 503, or the state as it stood.
    expect([200, 503]).toContain(meanwhile.status);
    if (meanwhile.status === 200) expect(meanwhile.body.paymentstate.state).toBe('ready_to_complete');

    await timed.startApp('worker');
    const money = await eventually(() => ledger(timed.simUrl, id), (m) => (m?.voidedMinor ?? 0) > 0, 60_000);
    expect(money).toMatchObject({ capturedMinor: 0, voidedMinor: 4400 });
    expect(countEvents(money, 'voided')).toBe(1);
    expect((await register.until(id, ['cancelled'], 30_000)).paymentstate.state).toBe('cancelled');
  });
});
