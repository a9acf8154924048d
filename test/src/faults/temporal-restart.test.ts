// The Temporal dev server stopped and restarted on the same SQLite file mid-flow: while it is
// down the register's polls get the last view within 1 s and its PUT and POST get 503, the
// worker and the API reconnect by themselves, payments carry on, and a timer that fell due
// while it was down fires once it is back.
import type { Client } from '@temporalio/client';
import { Register, countEvents, ledger, paymentRequest, type Reply } from '../support/register';
import { System, eventually, sleep } from '../support/system';
import { connectTemporal, workflowView } from '../support/temporal';

jest.setTimeout(240_000);

const ACK_TIMEOUT_MS = 8000;

let system: System;
let pos: Register;

beforeAll(async () => {
  system = await System.start({
    ownTemporal: true,
    env: { ACK_TIMEOUT_MS: String(ACK_TIMEOUT_MS), LATE_CANCEL_WINDOW_MS: '120000', SIM_APPROVE_DELAY_MS: '1500' },
  });
  pos = new Register(system.apiUrl);
});
afterAll(() => system?.stop());
afterEach(async () => {
  if (!system.isTemporalRunning()) await system.startTemporal();
});

async function timed<T>(call: () => Promise<Reply<T>>): Promise<Reply<T>> {
  const t0 = performance.now();
  const reply = await call();
  expect(performance.now() - t0).toBeLessThan(1000);
  return reply;
}

function retried<T>(call: () => Promise<Reply<T>>, timeoutMs = 60_000) {
  return eventually(call, (r) => r.status !== 503, timeoutMs, 250);
}

async function withTemporal<T>(fn: (client: Client) => Promise<T>): Promise<T> {
  const t = await connectTemporal(system.temporalAddress);
  try {
    return await fn(t.client);
  } finally {
    await t.close();
  }
}

test('Temporal stopped mid-flow and restarted on the same SQLite file: payments carry on, a timer due meanwhile fires after', async () => {
  // completedSale: completed before the stop, cancelled late after the restart.
  const completedSale = await pos.start(paymentRequest('61.00'));
  await pos.until(completedSale, ['ready_to_complete']);
  expect((await pos.put(completedSale, 'completed')).status).toBe(200);
  // silent: ready_to_complete and the register never answers; its ACK timer falls due while Temporal is down.
  const silent = await pos.start(paymentRequest('62.00'));
  await pos.until(silent, ['ready_to_complete']);
  const silentReadyAt = Date.now();
  // scanning: the wallet request is at the acquirer, the customer has not approved it yet.
  const scanning = await pos.start(paymentRequest('63.00'));
  await eventually(() => ledger(system.simUrl, scanning), (m) => m !== undefined, 15_000, 50);

  await system.stopTemporal();

  // While Temporal is down: every register call answers within 1 s, never a hang. A poll gets
  // the last view the workers pushed (the API holds it; nothing moves meanwhile), and what
  // needs Temporal, a PUT or a POST, gets 503.
  for (const [id, state] of [
    [completedSale, 'completed'],
    [silent, 'ready_to_complete'],
    [scanning, 'inprogress'],
  ] as const) {
    const get = await timed(() => pos.get(id));
    expect(get.status).toBe(200);
    expect(get.body).toMatchObject({ paymentid: id, paymentstate: { state } });
  }
  expect((await timed(() => pos.put(silent, 'completed'))).status).toBe(503);
  expect((await timed(() => pos.call('POST', '/payments', paymentRequest('64.00')))).status).toBe(503);

  // Down past the silent payment's ACK timer; nothing can act on it meanwhile.
  await sleep(Math.max(0, silentReadyAt + ACK_TIMEOUT_MS + 3000 - Date.now()));
  expect((await ledger(system.simUrl, silent))?.voidedMinor).toBe(0);
  // The customer approved the scanning payment at the acquirer meanwhile.
  await eventually(() => ledger(system.simUrl, scanning), (m) => (m?.authorizedMinor ?? 0) > 0, 15_000);

  await system.startTemporal();
  // Until the worker has polled the new server, GET answers 503 (or the payment), never a 500.
  for (let i = 0; i < 20; i++) {
    const reply = await timed(() => pos.get(completedSale));
    expect([200, 503]).toContain(reply.status);
    if (reply.status === 200) break;
    await sleep(100);
  }
  // The worker and the API reconnect on their own: no process was restarted.
  expect(system.isRunning('worker') && system.isRunning('api')).toBe(true);
  await system.waitReady(90_000);

  // The timer that fell due while Temporal was down fires now: the authorization voided, once.
  const reversed = await eventually(() => ledger(system.simUrl, silent), (m) => (m?.voidedMinor ?? 0) > 0, 90_000, 250);
  expect(reversed).toMatchObject({ authorizedMinor: 6200, capturedMinor: 0, voidedMinor: 6200 });
  expect(countEvents(reversed, 'voided')).toBe(1);
  expect((await retried(() => pos.get(silent))).body.paymentstate.state).toBe('cancelled');

  // The payment in progress carries on to ready_to_complete and is completed: captured once.
  await eventually(() => retried(() => pos.get(scanning)), (r) => r.body.paymentstate.state === 'ready_to_complete', 90_000, 250);
  expect((await retried(() => pos.put(scanning, 'completed'))).body).toMatchObject({ paymentstate: { state: 'completed' } });
  const scanned = await eventually(() => ledger(system.simUrl, scanning), (m) => m?.confirmed === true, 60_000);
  expect(scanned).toMatchObject({ capturedMinor: 6300, reversedMinor: 0 });
  expect(countEvents(scanned, 'captured')).toBe(1);

  // The completed payment still takes a late cancel (its window is 2 minutes): reversed, once.
  expect((await retried(() => pos.put(completedSale, 'cancelled'))).body).toMatchObject({ paymentstate: { state: 'cancelled' } });
  const late = await eventually(() => ledger(system.simUrl, completedSale), (m) => m?.reversal === 'done', 60_000);
  expect(late).toMatchObject({ capturedMinor: 6100, reversedMinor: 6100 });
  expect(countEvents(late, 'reversed')).toBe(1);

  // And new payments start as before.
  const after = await retried(() => pos.call<string>('POST', '/payments', paymentRequest('65.00')));
  expect(after.status).toBe(200);
  await pos.until(after.body, ['ready_to_complete'], 30_000);
  await pos.put(after.body, 'completed');
  expect(await withTemporal((client) => workflowView(client, after.body))).toMatchObject({ paymentState: 'completed' });
});

test('Temporal killed (SIGKILL) with payments in flight and restarted on the same file: nothing lost, captured once', async () => {
  const ready = await pos.start(paymentRequest('66.00'));
  await pos.until(ready, ['ready_to_complete']);
  const scanning = await pos.start(paymentRequest('67.00'));

  await system.killTemporal();
  await sleep(2000);
  await system.startTemporal();
  await system.waitReady(90_000);

  expect((await retried(() => pos.put(ready, 'completed'))).body).toMatchObject({ paymentstate: { state: 'completed' } });
  await eventually(() => retried(() => pos.get(scanning)), (r) => r.body.paymentstate.state === 'ready_to_complete', 90_000, 250);
  expect((await retried(() => pos.put(scanning, 'completed'))).body).toMatchObject({ paymentstate: { state: 'completed' } });
  for (const [id, minor] of [
    [ready, 6600],
    [scanning, 6700],
  ] as const) {
    const money = await eventually(() => ledger(system.simUrl, id), (m) => m?.confirmed === true, 60_000);
    expect(money).toMatchObject({ capturedMinor: minor, reversedMinor: 0 });
    expect(countEvents(money, 'captured')).toBe(1);
  }
});
