// The API SIGKILLed and restarted mid-flow: the register's retries succeed, and a POST retried
// with the same Idempotency-Key never makes a second payment. The restarted API has forgotten
// everything it kept in memory; what it answers comes from Temporal.
import type { Client } from '@temporalio/client';
import { Register, countEvents, fullLedger, ledger, paymentRequest } from '../support/register';
import { System, eventually, sleep } from '../support/system';
import { connectTemporal, findPayments } from '../support/temporal';

jest.setTimeout(180_000);

let system: System;
let pos: Register;
let temporal: { client: Client; close: () => Promise<void> };

beforeAll(async () => {
  system = await System.start({ env: { ACK_TIMEOUT_MS: '120000' } });
  pos = new Register(system.apiUrl);
  temporal = await connectTemporal(system.temporalAddress, system.env.TEMPORAL_NAMESPACE);
});
afterAll(async () => {
  await temporal?.close();
  await system?.stop();
});
afterEach(async () => {
  if (!system.isRunning('api')) await system.startApp('api');
});

/** A register call retried like Sitoo POS: through refused connections and 503s, until a definitive answer. */
function retried<T>(call: () => Promise<{ status: number; body: T }>, timeoutMs = 60_000) {
  return eventually(call, (r) => r.status !== 503, timeoutMs, 250);
}

test('POST with an Idempotency-Key, the API killed while it answers, the register retries → the same payment, only one', async () => {
  const body = paymentRequest('51.00');
  const key = `retry-${body.receiptid as string}`;
  const headers = { 'idempotency-key': key };
  const first = pos.call<string>('POST', '/payments', body, headers).then(
    (r) => r,
    (err: unknown) => err as Error, // the connection dies with the API
  );
  await sleep(30);
  await system.killApp('api');
  const firstAnswer = await first;

  await system.startApp('api');
  const again = await retried(() => pos.call<string>('POST', '/payments', body, headers));
  expect(again.status).toBe(200);
  const id = again.body;
  if (!(firstAnswer instanceof Error) && firstAnswer.status === 200) expect(firstAnswer.body).toBe(id);
  // And once more, for good measure: still the same payment.
  expect((await pos.call<string>('POST', '/payments', body, headers)).body).toBe(id);

  await pos.until(id, ['ready_to_complete']);
  expect((await retried(() => pos.put(id, 'completed'))).body).toMatchObject({ paymentstate: { state: 'completed' } });
  // One workflow for this receipt, one payment at the acquirer.
  const workflows = await eventually(() => findPayments(temporal.client, `ReceiptId = '${body.receiptid as string}'`), (ids) => ids.length > 0);
  expect(workflows).toEqual([id]);
  const money = await eventually(() => ledger(system.simUrl, id), (m) => m?.confirmed === true, 30_000);
  expect(money).toMatchObject({ capturedMinor: 5100, reversedMinor: 0 });
  expect(countEvents(money, 'captured')).toBe(1);
  const atAcquirer = Object.entries(await fullLedger(system.simUrl)).filter(([, m]) => m.amountMinor === 5100);
  expect(atAcquirer.map(([ref]) => ref)).toEqual([id]);
});

test('the API killed while the register polls: GET and PUT fail while it is down, succeed once it is back → completed, captured once', async () => {
  const id = await pos.start(paymentRequest('52.00'));
  await pos.until(id, ['ready_to_complete']);
  await system.killApp('api');
  await expect(pos.get(id)).rejects.toThrow(); // connection refused: the register retries

  await system.startApp('api');
  // A fresh API knows nothing of the payment: it finds it in Temporal.
  const seen = await retried(() => pos.get(id));
  expect(seen.status).toBe(200);
  expect(seen.body.paymentstate.state).toBe('ready_to_complete');

  const done = await retried(() => pos.put(id, 'completed'));
  expect(done.body).toMatchObject({ paymentstate: { state: 'completed' } });
  const money = await eventually(() => ledger(system.simUrl, id), (m) => m?.confirmed === true, 30_000);
  expect(money).toMatchObject({ capturedMinor: 5200, reversedMinor: 0 });
  expect(countEvents(money, 'captured')).toBe(1);
});

test('the API killed right after PUT cancelled was sent: the retried PUT answers cancelled, voided exactly once', async () => {
  const id = await pos.start(paymentRequest('53.00'));
  await pos.until(id, ['ready_to_complete']);
  const first = pos.put(id, 'cancelled').catch((err: unknown) => err as Error);
  await sleep(20);
  await system.killApp('api');
  await first;

  await system.startApp('api');
  const answer = await retried(() => pos.put(id, 'cancelled'));
  expect(answer.status).toBe(200);
  expect(answer.body).toMatchObject({ paymentstate: { state: 'cancelled' } });
  const money = await eventually(() => ledger(system.simUrl, id), (m) => m?.reversal === 'done', 60_000);
  expect(money).toMatchObject({ capturedMinor: 0, voidedMinor: 5300, reversedMinor: 0 });
  expect(countEvents(money, 'voided')).toBe(1);
});
