// The money race of a POST answered with an error: the start reaches Temporal, but its answer
// comes back after the API's deadline, so the register is told 503 and retries (Sitoo POS sends
// no Idempotency-Key: the retry is a new payment). The payment that landed must move no money
// and ask nothing of acquirer or terminal. The API's link to Temporal goes through a proxy that
// holds Temporal's answers back; the worker's does not.
import { Client, Connection } from '@temporalio/client';
import { paymentWorkflowId, START_NOT_CONFIRMED } from '@payments/workflow';
import { DelayingProxy } from './support/delaying-proxy';
import { Register, fullLedger, paymentRequest } from './support/register';
import { System, eventually, sleep } from './support/system';
import { findPayments } from './support/temporal';

/** The start window: a start not confirmed by then ends cancelled, untouched. */
const START_CONFIRM_MS = 3000;

let system: System;
let proxy: DelayingProxy;
let connection: Connection;
let client: Client;
let pos: Register;

beforeAll(async () => {
  system = await System.start({ apps: ['simulator', 'worker'], env: { START_CONFIRM_MS: String(START_CONFIRM_MS) } });
  proxy = await DelayingProxy.start(system.temporalAddress);
  // Only the API talks to Temporal through the proxy.
  system.env.TEMPORAL_ADDRESS = proxy.address;
  await system.startApp('api');
  await system.waitReady();
  connection = await Connection.connect({ address: system.temporalAddress });
  client = new Client({ connection, namespace: system.env.TEMPORAL_NAMESPACE });
  pos = new Register(system.apiUrl);
});
afterAll(async () => {
  await connection?.close();
  await system?.stop();
  await proxy?.stop();
});

/** The payment a receipt started, as an operator finds it in Temporal (the register was never told its id). */
async function paymentOfReceipt(receiptid: string): Promise<string> {
  const [id] = await eventually(() => findPayments(client, `ReceiptId = '${receiptid}' AND TaskQueue = '${system.env.TEMPORAL_TASK_QUEUE}'`), (ids) => ids.length === 1);
  return id!;
}

/** Whether the workflow ever scheduled an activity: every acquirer and terminal call is one. */
async function activitiesScheduled(paymentid: string): Promise<number> {
  const history = await client.workflow.getHandle(paymentWorkflowId(paymentid)).fetchHistory();
  return (history.events ?? []).filter((e) => e.activityTaskScheduledEventAttributes).length;
}

test('a start that lands after its POST was answered 503 → no money moves and no acquirer or terminal request, without an Idempotency-Key', async () => {
  const request = paymentRequest('398.00');
  proxy.delayMs = 1500;
  const refused = await pos.call('POST', '/payments', request);
  proxy.delayMs = 0;
  expect(refused.status).toBe(503);
  expect(refused.headers.get('retry-after')).toBe('1');
  expect(refused.body).toMatchObject({ error_code: 'unavailable' });

  // The start did land: a payment exists that its register never heard of…
  const orphan = await paymentOfReceipt(String(request.receiptid));
  // …and it ends cancelled when its start window closes, having asked nothing of anyone.
  const final = await client.workflow.getHandle(paymentWorkflowId(orphan)).result();
  expect(final.paymentstate).toMatchObject({ state: 'cancelled', message: START_NOT_CONFIRMED });
  expect(await activitiesScheduled(orphan)).toBe(0);
  expect((await fullLedger(system.simUrl))[orphan]).toBeUndefined();

  // The register's retry, as Sitoo POS makes it (a new POST, no key), is the one payment that runs.
  const retried = await pos.start(request);
  expect(retried).not.toBe(orphan);
  await pos.until(retried, ['ready_to_complete']);
  expect((await pos.put(retried, 'completed')).body.paymentstate.state).toBe('completed');
  expect((await fullLedger(system.simUrl))[retried]).toMatchObject({ capturedMinor: 39800 });
});

test('the API dies after the start landed and before it answered → the register gets no id, and the payment moves no money', async () => {
  const request = paymentRequest('120.00');
  proxy.delayMs = 3000;
  const answer = pos.call('POST', '/payments', request).then(
    (r) => r.status,
    () => 'connection lost',
  );
  await sleep(400);
  await system.killApp('api');
  expect(await answer).toBe('connection lost');
  proxy.delayMs = 0;
  const orphan = await paymentOfReceipt(String(request.receiptid));
  const final = await client.workflow.getHandle(paymentWorkflowId(orphan)).result();
  expect(final.paymentstate.state).toBe('cancelled');
  expect(await activitiesScheduled(orphan)).toBe(0);
  expect((await fullLedger(system.simUrl))[orphan]).toBeUndefined();
  await system.startApp('api');
  await system.waitReady();
});

test('a start answered in time → 200, confirmed after the answer, and the payment runs as before', async () => {
  const id = await pos.start(paymentRequest('55.00'));
  await pos.until(id, ['ready_to_complete']);
  expect((await pos.put(id, 'completed')).body.paymentstate.state).toBe('completed');
  expect((await fullLedger(system.simUrl))[id]).toMatchObject({ capturedMinor: 5500 });
});
