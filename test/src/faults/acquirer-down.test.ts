// The acquirer down for 30 s: the register's GET and PUT still answer within 1 s, cancels are
// accepted and their reversals wait, visible to operators through the ReversalState search
// attribute; once the acquirer is back the retries finish the work and nothing is left stuck.
import type { Client } from '@temporalio/client';
import { Register, countEvents, ledger, paymentRequest, setAcquirerDown, type Reply } from '../support/register';
import { System, eventually, sleep } from '../support/system';
import { connectTemporal, findPayments } from '../support/temporal';

jest.setTimeout(240_000);

const OUTAGE_MS = 30_000;

let system: System;
let pos: Register;
let temporal: { client: Client; close: () => Promise<void> };

beforeAll(async () => {
  system = await System.start({ env: { ACK_TIMEOUT_MS: '180000', LATE_CANCEL_WINDOW_MS: '180000' } });
  pos = new Register(system.apiUrl);
  temporal = await connectTemporal(system.temporalAddress, system.env.TEMPORAL_NAMESPACE);
});
afterAll(async () => {
  await temporal?.close();
  await system?.stop();
});

/** Every register call in this test: timed against the contract's 1 s bound. */
let slowest = 0;
async function timed<T>(call: () => Promise<Reply<T>>): Promise<Reply<T>> {
  const t0 = performance.now();
  const reply = await call();
  const ms = performance.now() - t0;
  slowest = Math.max(slowest, ms);
  expect(ms).toBeLessThan(1000);
  return reply;
}

async function readySale(amount: string): Promise<string> {
  const id = await pos.start(paymentRequest(amount));
  await pos.until(id, ['ready_to_complete']);
  return id;
}

test('acquirer down 30 s: GET/PUT within 1 s throughout; once back, every reversal, confirmation and new payment finishes', async () => {
  const queue = `TaskQueue = '${system.env.TEMPORAL_TASK_QUEUE}'`;
  const toCancel = await readySale('71.00');
  const toComplete = await readySale('72.00');
  const toCancelLate = await readySale('73.00');
  expect((await pos.put(toCancelLate, 'completed')).status).toBe(200);

  await setAcquirerDown(system.simUrl, true, OUTAGE_MS);
  const upAt = Date.now() + OUTAGE_MS;

  // The register goes on as usual while the acquirer is down.
  const started = await timed(() => pos.call<string>('POST', '/payments', paymentRequest('74.00')));
  expect(started.status).toBe(200);
  const newSale = started.body;
  expect((await timed(() => pos.put(toCancel, 'cancelled'))).body).toMatchObject({ paymentstate: { state: 'cancelled' } });
  expect((await timed(() => pos.put(toComplete, 'completed'))).body).toMatchObject({ paymentstate: { state: 'completed' } });
  expect((await timed(() => pos.put(toCancelLate, 'cancelled'))).body).toMatchObject({ paymentstate: { state: 'cancelled' } });

  // Operators see the reversals waiting for the acquirer (the query of docs/operators/needs-a-person.md).
  const needPerson = `${queue} AND ReversalState IN ('pending', 'failed')`;
  const waiting = await eventually(
    () => findPayments(temporal.client, needPerson),
    (ids) => ids.includes(toCancel) && ids.includes(toCancelLate),
    15_000,
    250,
  );
  expect(waiting.sort()).toEqual([toCancel, toCancelLate].sort());

  // Polls all through the outage, each one timed.
  let polls = 0;
  while (Date.now() < upAt) {
    for (const id of [toCancel, toComplete, toCancelLate, newSale]) {
      const reply = await timed(() => pos.get(id));
      expect(reply.status).toBe(200);
      polls++;
    }
    await sleep(500);
  }
  expect(polls).toBeGreaterThan(10);
  // Nothing moved at the acquirer while it was down.
  expect(await ledger(system.simUrl, newSale)).toBeUndefined();
  for (const id of [toCancel, toCancelLate]) expect(await ledger(system.simUrl, id)).toMatchObject({ voidedMinor: 0, reversedMinor: 0 });

  // Back up: the retries finish the work. Cancelled at ready_to_complete: the authorization voided.
  const voided = await eventually(() => ledger(system.simUrl, toCancel), (m) => m?.reversal === 'done', 90_000, 500);
  expect(voided).toMatchObject({ authorizedMinor: 7100, capturedMinor: 0, voidedMinor: 7100 });
  expect(countEvents(voided, 'voided')).toBe(1);
  // Cancelled after completion: captured by the confirmation, then given back, once each.
  const late = await eventually(() => ledger(system.simUrl, toCancelLate), (m) => m?.reversal === 'done', 90_000, 500);
  expect(late).toMatchObject({ capturedMinor: 7300, reversedMinor: 7300 });
  expect(countEvents(late, 'reversed')).toBe(1);
  expect(await eventually(() => ledger(system.simUrl, toComplete), (m) => m?.confirmed === true, 60_000, 500)).toMatchObject({
    capturedMinor: 7200,
    reversedMinor: 0,
  });
  await pos.until(newSale, ['ready_to_complete'], 60_000);
  expect((await timed(() => pos.put(newSale, 'completed'))).body).toMatchObject({ paymentstate: { state: 'completed' } });
  const fresh = await eventually(() => ledger(system.simUrl, newSale), (m) => m?.confirmed === true, 60_000, 500);
  expect(fresh).toMatchObject({ capturedMinor: 7400, reversedMinor: 0 });
  expect(countEvents(fresh, 'created')).toBe(1);

  // Nothing left stuck: no reversal pending, no payment left in progress.
  await eventually(() => findPayments(temporal.client, needPerson), (ids) => ids.length === 0, 15_000, 250);
  expect(await findPayments(temporal.client, `${queue} AND PaymentState = 'inprogress'`)).toEqual([]);
  expect(slowest).toBeLessThan(1000);
});
