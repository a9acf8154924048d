import { randomUUID } from 'node:crypto';
import { WorkflowFailedError } from '@temporalio/client';
import { ApplicationFailure } from '@temporalio/common';
import type { TestWorkflowEnvironment } from '@temporalio/testing';
import { Worker } from '@temporalio/worker';
import { connectEnv, workflowBundle } from '../testing/harness';
import type { ReconcileActivities } from './activities';
import { reconcileWorkflow, RECONCILE_FAILURE, type ReconcileInput } from './reconcile-workflow';
import type { ReconciliationResult } from './report';
import type { PaymentFact, ProviderRecord } from './types';

let env: TestWorkflowEnvironment;
beforeAll(async () => {
  env = await connectEnv();
});
afterAll(async () => {
  await env?.teardown();
});

const period = { from: '2026-12-06T00:00:00.000Z', to: '2026-12-07T00:00:00.000Z' };
const at = '2026-12-06T10:00:00.000Z';

const payment = (i: number, over: Partial<PaymentFact> = {}): PaymentFact => ({
  paymentid: `p${i}`,
  merchant: 'm1',
  storeid: 's1',
  method: 'wallet',
  kind: 'sale',
  amountMinor: 1000,
  currencycode: 'SEK',
  state: 'completed',
  closed: true,
  reversal: 'none',
  creditpaymentid: null,
  startedAt: at,
  ...over,
});
const record = (reference: string, over: Partial<ProviderRecord> = {}): ProviderRecord => ({
  provider: 'simulator',
  id: `pay_${reference}`,
  reference,
  merchant: 'm1',
  kind: 'sale',
  currencycode: 'SEK',
  amountMinor: 1000,
  createdAt: at,
  heldMinor: 0,
  capturedMinor: 1000,
  refundedMinor: 0,
  reversedMinor: 0,
  voidedMinor: 0,
  ...over,
});

interface Books {
  payments: PaymentFact[];
  records: ProviderRecord[];
  /** Record pages that fail before one succeeds; Infinity: the provider never answers. */
  recordFailures?: number;
  elsewhere?: string[];
  /** The report folder cannot be written. */
  unwritable?: boolean;
}

/** Activities over in-memory books, paging by index; every call is counted. */
function fakeActivities(books: Books, calls: Record<string, number>, published: ReconciliationResult[]): ReconcileActivities {
  let failures = books.recordFailures ?? 0;
  const count = (name: string) => (calls[name] = (calls[name] ?? 0) + 1);
  const page = <T>(items: T[], size: number, cursor: string | null) => {
    const from = cursor === null ? 0 : Number(cursor);
    return { items: items.slice(from, from + size), next: from + size < items.length ? String(from + size) : null };
  };
  return {
    async reconciliationScope({ merchant }) {
      count('reconciliationScope');
      if (merchant !== null && merchant !== 'm1') throw ApplicationFailure.nonRetryable(`unknown merchant "${merchant}"`, RECONCILE_FAILURE.unknownMerchant);
      return [{ merchant: 'm1', provider: 'simulator' }];
    },
    async listPaymentPage({ pageSize, cursor }) {
      count('listPaymentPage');
      return page(books.payments, pageSize, cursor);
    },
    async listRecordPage({ pageSize, cursor }) {
      count('listRecordPage');
      if (failures > 0) {
        failures--;
        throw new Error('simulator books of merchant m1: GET /acquirer/v1/records: 503 unavailable');
      }
      return page(books.records, pageSize, cursor);
    },
    async knownPayments({ paymentids }) {
      count('knownPayments');
      return paymentids.filter((id) => books.elsewhere?.includes(id));
    },
    async publishReport({ report }) {
      count('publishReport');
      if (books.unwritable) throw new Error("EACCES: permission denied, open '/reports/x.json'");
      published.push({ ...report, files: [] });
      return { files: ['/reports/x.json'], newFlags: report.flags.length };
    },
  };
}

async function run(books: Books, input: Partial<ReconcileInput> = {}) {
  const calls: Record<string, number> = {};
  const published: ReconciliationResult[] = [];
  const taskQueue = `test-${randomUUID()}`;
  const worker = await Worker.create({
    connection: env.nativeConnection,
    namespace: env.namespace ?? 'default',
    taskQueue,
    workflowBundle: await workflowBundle(),
    activities: fakeActivities(books, calls, published),
  });
  const handle = await env.client.workflow.start(reconcileWorkflow, {
    workflowId: `reconcile-${randomUUID()}`,
    taskQueue,
    args: [{ merchant: 'm1', period, tuning: { retryMs: 10, providerAttempts: 3 }, ...input }],
  });
  const result = await worker.runUntil(
    handle.result().then(
      (r) => r,
      (err: unknown) => err,
    ),
  );
  const runs = (await env.client.workflow.getHandle(handle.workflowId).describe()).runId === handle.firstExecutionRunId ? 1 : 'several';
  return { result, calls, published, runs };
}

const failureOf = (err: unknown) => (err instanceof WorkflowFailedError && err.cause instanceof ApplicationFailure ? `${err.cause.type}: ${err.cause.message}` : String(err));

test('a day of 45 payments in pages of 10, continuing as new → one report of every payment, the flags and the pages covered', async () => {
  const payments = Array.from({ length: 45 }, (_, i) => payment(i, i === 3 ? { state: 'cancelled' } : {}));
  const records = [...payments.map((p) => record(p.paymentid)), record('ghost'), record('yesterday')];
  const { result, calls, published, runs } = await run({ payments, records, elsewhere: ['yesterday'] }, { tuning: { pageSize: 10, maxHistoryEvents: 20, retryMs: 10, providerAttempts: 3 } });
  expect(runs).toBe('several');
  const r = result as ReconciliationResult;
  expect(r.flags.map((f) => `${f.paymentid}:${f.kind}`)).toEqual(['ghost:unknown-record', 'p3:moved-on-cancelled']);
  expect(r.coverage).toEqual([{ merchant: 'm1', provider: 'simulator', recordPages: 5, records: 47, paymentPages: 5, payments: 45 }]);
  expect(r.tallies).toContainEqual({ merchant: 'm1', storeid: 's1', method: 'wallet', kind: 'sale', state: 'completed', count: 44, amountMinor: 44_000 });
  expect(r.mismatches['moved-on-cancelled']).toBe(1);
  expect(r.files).toEqual(['/reports/x.json']);
  expect(calls).toEqual({ reconciliationScope: 1, listRecordPage: 5, listPaymentPage: 5, knownPayments: 1, publishReport: 1 });
  expect(published).toHaveLength(1);
});

test('a merchant’s day of 3000 payments in pages of 500, continuing as new between pages → every payment reported, 12 page activities', async () => {
  const payments = Array.from({ length: 3000 }, (_, i) => payment(i, { storeid: `s${i % 7}` }));
  const records = payments.map((p) => record(p.paymentid));
  const { result, calls, runs } = await run({ payments, records }, { tuning: { pageSize: 500, maxHistoryEvents: 10, retryMs: 10, providerAttempts: 3 } });
  const r = result as ReconciliationResult;
  expect(runs).toBe('several');
  expect(r.flags).toEqual([]);
  expect(r.tallies.reduce((n, t) => n + t.count, 0)).toBe(3000);
  expect(r.money.reduce((n, m) => n + m.netMinor, 0)).toBe(3_000_000);
  expect(calls).toMatchObject({ listRecordPage: 6, listPaymentPage: 6, publishReport: 1 });
}, 120_000);

test('the provider fails twice, then answers → retried by the workflow, report complete', async () => {
  const { result, calls, runs } = await run({ payments: [payment(1)], records: [record('p1')], recordFailures: 2 });
  expect(runs).toBe(1);
  expect((result as ReconciliationResult).flags).toEqual([]);
  expect(calls.listRecordPage).toBe(3);
});

test('a provider that cannot be read → fails naming provider, merchant and period; no report published', async () => {
  const { result, calls } = await run({ payments: [payment(1)], records: [record('p1')], recordFailures: Infinity });
  expect(failureOf(result)).toBe(
    'provider-unreadable: provider simulator of merchant m1 could not be read for 2026-12-06T00:00:00.000Z to 2026-12-07T00:00:00.000Z (page 1, 3 attempts): simulator books of merchant m1: GET /acquirer/v1/records: 503 unavailable',
  );
  expect(calls.publishReport).toBeUndefined();
});

test('a report folder that cannot be written → fails naming the period and the cause after its attempts', async () => {
  const { result, calls } = await run({ payments: [payment(1)], records: [record('p1')], unwritable: true });
  expect(failureOf(result)).toBe(
    "report-unwritable: the report of m1 2026-12-06T00:00:00.000Z to 2026-12-07T00:00:00.000Z could not be published (3 attempts): EACCES: permission denied, open '/reports/x.json'",
  );
  expect(calls.publishReport).toBe(3);
});

test('an unknown merchant or a bad period → fails with one line naming it, nothing read', async () => {
  const unknown = await run({ payments: [], records: [] }, { merchant: 'nobody' });
  expect(failureOf(unknown.result)).toBe('unknown-merchant: unknown merchant "nobody"');
  expect(unknown.calls.listRecordPage).toBeUndefined();
  const bad = await run({ payments: [], records: [] }, { period: { from: period.to, to: period.from } });
  expect(failureOf(bad.result)).toBe('bad-period: bad period: from 2026-12-07T00:00:00.000Z is not before to 2026-12-06T00:00:00.000Z');
  expect(bad.calls).toEqual({});
});

test('no period given (the daily schedule) → the local day before the run in its time zone', async () => {
  const { published } = await run({ payments: [], records: [] }, { period: undefined, timeZone: 'Pacific/Kiritimati' });
  const p = published[0]?.period;
  expect(p && Date.parse(p.to) - Date.parse(p.from)).toBe(86_400_000);
  expect(p && Date.parse(p.to) <= Date.now() && Date.now() - Date.parse(p.to) < 86_400_000).toBe(true);
  expect(p?.to.endsWith('T10:00:00.000Z')).toBe(true); // midnight at UTC+14
});
