// What an operator asked "where is this payment?" has to work with: every search attribute of a
// payment, read back through the client's list API with the queries
// docs/operators/finding-a-payment.md lists; the summary Temporal Web shows; the worker's and the API's metrics; and JSON
// log lines that name the payment and its workflow.
import { randomUUID } from 'node:crypto';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { Client, Connection, type WorkflowExecutionInfo } from '@temporalio/client';
import { paymentWorkflowId, SA } from '@payments/workflow';
import { Register, paymentRequest } from './support/register';
import { System, eventually } from './support/system';

const ARTIFACTS = path.resolve(__dirname, '..', 'artifacts');

let system: System;
let pos: Register;
let connection: Connection;
let client: Client;
/** One register of our own, so "everything on this register" means this file's payments only. */
const posid = `OPS${randomUUID().slice(0, 8).toUpperCase()}`;
const request = (amount: string, extra: Record<string, unknown> = {}) =>
  paymentRequest(amount, { posid, storeid: '7', receiptid: `R-${randomUUID().slice(0, 8)}`, ...extra });

beforeAll(async () => {
  system = await System.start({ env: { LOG_LEVEL: 'info' } });
  pos = new Register(system.apiUrl);
  connection = await Connection.connect({ address: system.env.TEMPORAL_ADDRESS! });
  client = new Client({ connection, namespace: system.env.TEMPORAL_NAMESPACE });
});
afterAll(async () => {
  await connection?.close();
  await system?.stop();
});

/** The executions a visibility query finds now. */
async function list(query: string): Promise<WorkflowExecutionInfo[]> {
  const found: WorkflowExecutionInfo[] = [];
  for await (const wf of client.workflow.list({ query })) found.push(wf);
  return found;
}

/** Waits (visibility lags the workflow a little) until `query` finds exactly the payment's workflow. */
async function findsOnly(query: string, paymentid: string): Promise<WorkflowExecutionInfo> {
  const found = await eventually(
    () => list(query),
    (wfs) => wfs.length === 1 && wfs[0]!.workflowId === paymentWorkflowId(paymentid),
    15_000,
    200,
  );
  return found[0]!;
}

/** Every payment search attribute of one execution, by name (absent ones undefined). */
function attributes(wf: WorkflowExecutionInfo): Record<keyof typeof SA, unknown> {
  const entries = Object.entries(SA).map(([name, key]) => [name, wf.typedSearchAttributes.get(key)]);
  return Object.fromEntries(entries) as Record<keyof typeof SA, unknown>;
}

describe('search attributes, through client.workflow.list', () => {
  let sale: string;
  let receiptid: string;

  test('a sale in ready_to_complete → every attribute set; found by its receipt', async () => {
    const body = request('398.00');
    receiptid = body.receiptid as string;
    sale = await pos.start(body);
    await pos.until(sale, ['ready_to_complete']);

    const wf = await findsOnly(`ReceiptId = '${receiptid}' AND PaymentState = 'ready_to_complete'`, sale);
    expect(attributes(wf)).toEqual({
      PaymentState: 'ready_to_complete',
      Merchant: 'demo',
      StoreId: '7',
      PosId: posid,
      ReceiptId: receiptid,
      PaymentMethod: 'wallet',
      PaymentKind: 'sale',
      ReversalState: 'none',
      PaymentAmount: 398,
      CreditPaymentId: undefined,
    });
  });

  test('the documented queries: by register, stuck in ready_to_complete, by merchant and store, by amount → the sale', async () => {
    expect(sale).toBeDefined();
    await findsOnly(`PosId = '${posid}' AND StoreId = '7'`, sale);
    await findsOnly(`PaymentState = 'ready_to_complete' AND PosId = '${posid}'`, sale);
    await findsOnly(`Merchant = 'demo' AND StoreId = '7' AND PaymentMethod = 'wallet' AND PosId = '${posid}'`, sale);
    await findsOnly(`PaymentAmount = 398.00 AND PosId = '${posid}'`, sale);
    await findsOnly(`PaymentAmount BETWEEN 300 AND 500 AND PosId = '${posid}'`, sale);
    expect(await list(`PaymentAmount > 398 AND PosId = '${posid}'`)).toEqual([]);
  });

  test('describe() → the static summary and details Temporal Web shows for the sale', async () => {
    const handle = client.workflow.getHandle(paymentWorkflowId(sale));
    const described = await handle.describe();
    expect(await described.staticSummary()).toBe(`Sale 398.00 SEK · store 7 · POS ${posid}`);
    expect(await described.staticDetails()).toContain(`receipt ${receiptid}`);
  });

  test('PUT completed → PaymentState completed; a refund crediting it → PaymentKind refund, CreditPaymentId, a negative PaymentAmount', async () => {
    await pos.put(sale, 'completed');
    await findsOnly(`PaymentState = 'completed' AND ReceiptId = '${receiptid}'`, sale);

    const refund = await pos.start(request('-100.00', { creditpaymentid: sale }));
    await pos.until(refund, ['ready_to_complete']);
    const wf = await findsOnly(`CreditPaymentId = '${sale}'`, refund);
    expect(attributes(wf)).toMatchObject({
      PaymentState: 'ready_to_complete',
      PaymentKind: 'refund',
      CreditPaymentId: sale,
      PaymentAmount: -100,
      ReversalState: 'none',
      PosId: posid,
    });
    const described = await client.workflow.getHandle(paymentWorkflowId(refund)).describe();
    expect(await described.staticSummary()).toBe(`Refund -100.00 SEK · store 7 · POS ${posid}`);
    expect(await described.staticDetails()).toContain(`credits payment ${sale}`);
    await pos.put(refund, 'completed');
  });

  test('a reversal the acquirer keeps failing (.53) → found by ReversalState IN (\'pending\',\'failed\'), then ReversalState done', async () => {
    const id = await pos.start(request('200.53')); // the acquirer answers 503 to the first 3 calls of each operation
    await pos.until(id, ['ready_to_complete']);
    await pos.put(id, 'cancelled');
    const pending = await findsOnly(`ReversalState IN ('pending','failed') AND PosId = '${posid}'`, id);
    expect(attributes(pending)).toMatchObject({ PaymentState: 'cancelled', ReversalState: 'pending' });
    const done = await findsOnly(`ReversalState = 'done' AND PosId = '${posid}'`, id);
    expect(attributes(done)).toMatchObject({ PaymentState: 'cancelled', ReversalState: 'done' });
  });
});

/** The value of one series in Prometheus text (labels in any order); 0 when absent. */
function sample(text: string, name: string, labels: Record<string, string>): number {
  for (const line of text.split('\n')) {
    const m = /^([a-zA-Z_:][\w:]*)(?:\{(.*)\})? (\S+)$/.exec(line);
    if (!m || m[1] !== name) continue;
    const has = Object.fromEntries([...(m[2] ?? '').matchAll(/(\w+)="((?:[^"\\]|\\.)*)"/g)].map((l) => [l[1], l[2]]));
    if (Object.entries(labels).every(([k, v]) => has[k] === v)) return Number(m[3]);
  }
  return 0;
}

const scrape = async (url: string) => {
  const res = await fetch(url);
  expect(res.status).toBe(200);
  return res.text();
};

describe('metrics and logs', () => {
  test('worker /metrics → Temporal SDK metrics, provider errors by side and operation, reversals and payments by final state', async () => {
    const before = await scrape(system.workerMetricsUrl);
    expect(before).toMatch(/^temporal_worker_task_slots_available\{/m);
    expect(before).toMatch(/^temporal_long_request\{/m);

    // Three 503s on create, then on reverse; cancelled at ready_to_complete, so the workflow ends.
    const id = await pos.start(request('300.53'));
    await pos.until(id, ['ready_to_complete']);
    await pos.put(id, 'cancelled');
    await eventually(() => client.workflow.getHandle(paymentWorkflowId(id)).describe(), (d) => d.status.name === 'COMPLETED', 30_000, 200);

    const after = await eventually(
      () => scrape(system.workerMetricsUrl),
      (text) => sample(text, 'payments_final_state_total', { state: 'cancelled' }) > sample(before, 'payments_final_state_total', { state: 'cancelled' }),
      10_000,
      200,
    );
    const delta = (name: string, labels: Record<string, string>) => sample(after, name, labels) - sample(before, name, labels);
    expect(delta('provider_errors_total', { side: 'acquirer', operation: 'create', kind: 'transient' })).toBe(3);
    expect(delta('provider_errors_total', { side: 'acquirer', operation: 'reverse', kind: 'transient' })).toBe(3);
    expect(delta('payment_reversals_total', { outcome: 'done', kind: 'sale' })).toBe(1);
    expect(delta('payments_final_state_total', { state: 'cancelled', kind: 'sale', method: 'wallet' })).toBe(1);
    // Three failed attempts of the reversal in all: the first one local (inside the PUT's
    // workflow task), the two after it as the activity that retries it.
    expect(delta('temporal_local_activity_execution_failed', { activity_type: 'reversePayment' })).toBe(1);
    expect(delta('temporal_activity_execution_failed', { activity_type: 'reversePayment' })).toBe(2);
  });

  test('API /metrics → a latency histogram per route and status, from the register’s calls', async () => {
    const text = await scrape(`${system.apiUrl}/metrics`);
    const series = { method: 'GET', route: '/payments/:paymentid', status: '200' };
    const count = sample(text, 'http_request_duration_seconds_count', series);
    expect(count).toBeGreaterThan(0);
    expect(sample(text, 'http_request_duration_seconds_bucket', { ...series, le: '+Inf' })).toBe(count);
    expect(sample(text, 'http_requests_total', { method: 'POST', route: '/payments', status: '200' })).toBeGreaterThan(0);
  });

  test('the logs: JSON lines naming the payment and its workflow id, from the API and from the worker’s activities', async () => {
    const id = await pos.start(request('40.00'), { 'x-request-id': `ops-${posid}` });
    await pos.until(id, ['ready_to_complete']);
    await pos.put(id, 'cancelled'); // the reversal activity logs "reversed" at info
    const readLines = (app: string) =>
      fs
        .readFileSync(path.join(ARTIFACTS, `operators-${app}.log`), 'utf8')
        .split('\n')
        .filter((l) => l.startsWith('{'))
        .map((l) => JSON.parse(l) as Record<string, unknown>)
        .filter((l) => l.paymentid === id);

    const api = await eventually(async () => readLines('api'), (lines) => lines.length >= 2);
    expect(api[0]).toMatchObject({ service: 'api', requestId: `ops-${posid}`, route: '/payments', workflowId: paymentWorkflowId(id) });

    const worker = await eventually(async () => readLines('worker'), (lines) => lines.some((l) => l.msg === 'reversed'), 15_000, 200);
    expect(worker.find((l) => l.msg === 'reversed')).toMatchObject({
      service: 'worker',
      level: 30,
      sdkComponent: 'activity',
      activityType: 'reversePayment',
      workflowId: paymentWorkflowId(id),
    });
  });
});
