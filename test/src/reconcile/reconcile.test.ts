// The reconciliation through the real processes: a day of payments of every flow for a wallet
// merchant and a card merchant, books made to disagree at the simulated acquirer in each way an
// operator must hear of, then the reconciliation workflow (as its Schedule and `npm run
// reconcile` start it). Every mismatch is flagged on its payment, nothing else; the sums are
// the ledger's; a rerun gives the same answer and writes nothing.
import { execFile } from 'node:child_process';
import { randomUUID } from 'node:crypto';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import type { Client } from '@temporalio/client';
import { dayBefore, reconcileWorkflowId, type Flag, type ReconciliationResult } from '@payments/workflow';
import { Register, fullLedger, type LedgerEntry } from '../support/register';
import { System, eventually } from '../support/system';
import { connectTemporal } from '../support/temporal';
import { makeDay, type Day } from './day';

const ROOT = path.resolve(__dirname, '..', '..', '..');
const run = randomUUID().slice(0, 8);
const WALLET = { username: `rec-w-${run}`, password: 'wallet-password-0123456789', merchant: `rec-wallet-${run}` };
const CARD = { username: `rec-c-${run}`, password: 'card-password-0123456789', merchant: `rec-card-${run}` };
const reportDir = fs.mkdtempSync(path.join(os.tmpdir(), 'reconciliation-'));

let system: System;
let temporal: { client: Client; close: () => Promise<void> };
let taskQueue: string;
const days: Record<string, Day> = {};
let period: { from: string; to: string };
let unknownReference: string;

async function inject(simUrl: string, what: string, body: unknown = {}): Promise<void> {
  const res = await fetch(`${simUrl}/sim/inject/${what}`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify(body) });
  if (!res.ok) throw new Error(`POST /sim/inject/${what} → ${res.status} ${await res.text()}`);
}

async function reconcile(merchant: string): Promise<ReconciliationResult> {
  return temporal.client.workflow.execute('reconcileWorkflow', {
    workflowId: reconcileWorkflowId(merchant, period),
    taskQueue,
    args: [{ merchant, period }],
    workflowIdReusePolicy: 'ALLOW_DUPLICATE',
  });
}

/** `npm run reconcile` as an operator runs it, with the service's environment. */
function cli(args: string[]): Promise<{ code: number | null; stdout: string; stderr: string }> {
  return new Promise((resolve) => {
    const child = execFile('node', [path.join(ROOT, 'scripts', 'reconcile.mjs'), ...args], { cwd: ROOT, env: { ...process.env, ...system.env }, timeout: 60_000 }, (_err, stdout, stderr) =>
      resolve({ code: child.exitCode, stdout, stderr }),
    );
  });
}

const flagged = (r: ReconciliationResult) => r.flags.map((f: Flag) => `${f.paymentid} ${f.kind}`).sort();

beforeAll(async () => {
  const from = new Date(Date.now() - 60_000).toISOString();
  system = await System.start({
    env: {
      SPI_CREDENTIALS: JSON.stringify([WALLET, CARD]),
      MERCHANT_PAYMENT_METHODS: JSON.stringify({ [CARD.merchant]: 'card' }),
      RECONCILIATION_MERCHANTS: `${WALLET.merchant},${CARD.merchant}`,
      RECONCILIATION_SCHEDULE: 'per-merchant',
      RECONCILIATION_HOUR: '4',
      RECONCILIATION_TIME_ZONE: 'Europe/Stockholm',
      RECONCILIATION_REPORT_DIR: reportDir,
      ACK_TIMEOUT_MS: '2000',
      PAYMENT_EXPIRY_MS: '3000',
    },
  });
  temporal = await connectTemporal(system.temporalAddress, system.env.TEMPORAL_NAMESPACE ?? 'default');
  taskQueue = system.env.TEMPORAL_TASK_QUEUE as string;
  const [wallet, card] = await Promise.all([makeDay(new Register(system.apiUrl, WALLET)), makeDay(new Register(system.apiUrl, CARD))]);
  days[WALLET.merchant] = wallet;
  days[CARD.merchant] = card;
  // Every payment has its answer and no reversal outstanding before the books are read (a
  // completed sale's workflow runs on for its refund window).
  await eventually(
    () =>
      temporal.client.workflow.count(
        `WorkflowType = 'paymentWorkflow' AND Merchant IN ('${WALLET.merchant}', '${CARD.merchant}') AND (PaymentState IN ('inprogress', 'ready_to_complete') OR ReversalState = 'pending')`,
      ),
    (c) => c.count === 0,
    60_000,
    500,
  );

  // The wallet merchant's books, made to disagree with its payments in each way.
  await inject(system.simUrl, `${wallet.cancelledReady}/capture`); // captured behind the workflow's back
  await inject(system.simUrl, `${wallet.silentReady}/keep-hold`); // the void never reached the books
  await inject(system.simUrl, `${wallet.refundLinked}/refund-again`); // a refund paid out twice
  unknownReference = `not-ours-${run}`;
  await inject(system.simUrl, 'records', { merchant: WALLET.merchant, amountMinor: 4200, reference: unknownReference }); // money no payment made
  period = { from, to: new Date(Date.now() + 1000).toISOString() };
  await new Promise((r) => setTimeout(r, 1000));
}, 240_000);

afterAll(async () => {
  await temporal?.close();
  await system?.stop();
});

/** The merchant's money as the simulator's ledger holds it. */
function ledgerSums(ledger: Record<string, LedgerEntry & { merchant?: string }>, merchant: string) {
  const mine = Object.values(ledger).filter((e) => e.merchant === merchant);
  const sum = (f: (e: LedgerEntry) => number) => mine.reduce((s, e) => s + f(e), 0);
  return {
    capturedMinor: sum((e) => e.capturedMinor),
    refundedMinor: sum((e) => e.refundedMinor),
    reversedMinor: sum((e) => e.reversedMinor),
    voidedMinor: sum((e) => e.voidedMinor),
    netMinor: sum((e) => (e.kind === 'refund' ? e.reversedMinor - e.refundedMinor : e.capturedMinor - e.reversedMinor)),
  };
}

function reportSums(r: ReconciliationResult) {
  const sum = (k: 'capturedMinor' | 'refundedMinor' | 'reversedMinor' | 'voidedMinor' | 'netMinor') => r.money.reduce((s, m) => s + m[k], 0);
  return { capturedMinor: sum('capturedMinor'), refundedMinor: sum('refundedMinor'), reversedMinor: sum('reversedMinor'), voidedMinor: sum('voidedMinor'), netMinor: sum('netMinor') };
}

test('the wallet merchant’s day → each injected mismatch flagged on its payment, nothing else; sums equal the ledger', async () => {
  const day = days[WALLET.merchant] as Day;
  const result = await reconcile(WALLET.merchant);
  expect(flagged(result)).toEqual(
    [
      `${day.cancelledReady} moved-on-cancelled`,
      `${day.silentReady} hold-open`,
      `${day.refundLinked} refund-beyond-sale`,
      `${unknownReference} unknown-record`,
    ].sort(),
  );
  expect(result.coverage).toEqual([{ merchant: WALLET.merchant, provider: 'simulator', recordPages: 1, records: expect.any(Number), paymentPages: 1, payments: 11 }]);
  expect(reportSums(result)).toEqual(ledgerSums(await fullLedger(system.simUrl), WALLET.merchant));
  // 100 + 200 − 20 − 30 kept; 105 captured and reversed; the injected 102 capture and 42 of no payment; the refund's second 30.
  expect(reportSums(result).netMinor).toBe(10000 + 20000 - 2000 - 3000 + 10200 + 4200 - 3000);
  expect(result.tallies).toContainEqual({ merchant: WALLET.merchant, storeid: expect.any(String), method: 'wallet', kind: 'refund', state: 'completed', count: 2, amountMinor: 5000 });
  expect(result.mismatches).toEqual({
    'moved-on-cancelled': 1,
    'completed-not-captured': 0,
    'hold-open': 1,
    'refund-beyond-sale': 1,
    'unknown-record': 1,
    'reversal-pending': 0,
    'reversal-failed': 0,
  });
});

test('where operators look → flags in Temporal Web (ReconciliationState), a log line and a metric each, JSON and CSV files', async () => {
  const day = days[WALLET.merchant] as Day;
  const result = await reconcile(WALLET.merchant);
  const found: string[] = [];
  for await (const wf of temporal.client.workflow.list({ query: `ReconciliationState = 'mismatch' AND Merchant = '${WALLET.merchant}'` })) found.push(wf.workflowId);
  expect(found.sort()).toEqual(result.flags.map((f) => `reconciliation-${f.paymentid}-${f.kind}`).sort());

  expect(result.files.map((f) => path.basename(f))).toEqual([
    expect.stringMatching(/^reconciliation-rec-wallet-.*\.json$/),
    expect.stringMatching(/\.tallies\.csv$/),
    expect.stringMatching(/\.money\.csv$/),
    expect.stringMatching(/\.flags\.csv$/),
  ]);
  const { files: _files, ...report } = result;
  expect(JSON.parse(fs.readFileSync(result.files[0] as string, 'utf8'))).toEqual(report);
  const flagsCsv = fs.readFileSync(result.files[3] as string, 'utf8');
  expect(flagsCsv.split('\n')[0]).toBe('kind,paymentid,merchant,storeid,evidence');
  expect(flagsCsv).toContain(`hold-open,${day.silentReady},${WALLET.merchant}`);

  const metrics = await eventually(
    () => fetch(system.workerMetricsUrl).then((r) => r.text()),
    (text) => /reconciliation_mismatches_total\{[^}]*kind="unknown-record"/.test(text),
    10_000,
    200,
  );
  for (const kind of ['moved-on-cancelled', 'hold-open', 'refund-beyond-sale', 'unknown-record']) {
    expect(metrics).toMatch(new RegExp(`^reconciliation_mismatches_total\\{[^}]*kind="${kind}"[^}]*\\} 1$`, 'm'));
  }
  const log = fs.readFileSync(path.join(ROOT, 'test', 'artifacts', `${system.logName}-worker.log`), 'utf8');
  for (const f of result.flags) expect(log.split('\n').filter((l) => l.includes(`reconciliation flagged payment ${f.paymentid}: ${f.kind}`))).toHaveLength(1);
});

test('a rerun over the same period (npm run reconcile) → the same report, no file rewritten, no flag added', async () => {
  const first = await reconcile(WALLET.merchant);
  const mtimes = first.files.map((f) => fs.statSync(f).mtimeMs);
  const again = await cli(['--merchant', WALLET.merchant, '--from', period.from, '--to', period.to]);
  expect(again.stderr).toContain('4 flagged');
  expect(again.code).toBe(0);
  expect(JSON.parse(again.stdout)).toEqual(first);
  expect(first.files.map((f) => fs.statSync(f).mtimeMs)).toEqual(mtimes);
  const flags = await temporal.client.workflow.count(`ReconciliationState = 'mismatch' AND Merchant = '${WALLET.merchant}'`);
  expect(flags.count).toBe(4);
});

test('the card merchant’s day (terminal, then the acquirer) → nothing flagged; sums equal the ledger', async () => {
  const result = await reconcile(CARD.merchant);
  expect(flagged(result)).toEqual([]);
  expect(result.coverage).toEqual([{ merchant: CARD.merchant, provider: 'simulator', recordPages: 1, records: expect.any(Number), paymentPages: 1, payments: 11 }]);
  expect(reportSums(result)).toEqual(ledgerSums(await fullLedger(system.simUrl), CARD.merchant));
  expect(reportSums(result).netMinor).toBe(10000 + 20000 - 2000 - 3000);
});

test('the daily Schedule of each merchant → at the configured hour and time zone; triggered, it reconciles the day before', async () => {
  const handle = temporal.client.schedule.getHandle(`reconcile-daily-${WALLET.merchant}`);
  const d = await handle.describe();
  expect(d.spec.timezone).toBe('Europe/Stockholm');
  expect(d.spec.calendars).toEqual([expect.objectContaining({ hour: [{ start: 4, end: 4, step: 1 }], minute: [{ start: 0, end: 0, step: 1 }] })]);
  await handle.trigger();
  const ran = await eventually(
    async () => {
      for await (const wf of temporal.client.workflow.list({ query: `WorkflowType = 'reconcileWorkflow' AND WorkflowId STARTS_WITH 'reconcile-daily-${WALLET.merchant}'` })) return wf;
      return undefined;
    },
    (wf) => wf?.status.name === 'COMPLETED',
    30_000,
    500,
  );
  const result = (await temporal.client.workflow.getHandle(ran!.workflowId).result()) as ReconciliationResult;
  expect(result.period).toEqual(dayBefore(Date.now(), 'Europe/Stockholm')); // yesterday, midnight to midnight in Stockholm
  expect(result.coverage[0]).toMatchObject({ merchant: WALLET.merchant, provider: 'simulator', recordPages: 1, paymentPages: 1 });
});

test('an unknown merchant, a bad period, an unreadable provider → one line naming it, exit 1, no report', async () => {
  const unknown = await cli(['--merchant', 'nobody', '--from', period.from, '--to', period.to]);
  expect(unknown.code).toBe(1);
  expect(unknown.stderr).toMatch(/^reconcile: unknown merchant "nobody": not in RECONCILIATION_MERCHANTS, CARD_PROVIDERS or WALLET_PROVIDERS/m);
  expect(unknown.stdout).toBe('');

  const bad = await cli(['--merchant', WALLET.merchant, '--from', period.to, '--to', period.from]);
  expect(bad.code).toBe(1);
  expect(bad.stderr.trim()).toBe(`reconcile: bad period: from ${period.to} is not before to ${period.from}`);

  await fetch(`${system.simUrl}/sim/faults`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ down: true }) });
  try {
    const down = await temporal.client.workflow
      .execute('reconcileWorkflow', {
        workflowId: `reconcile-down-${run}`,
        taskQueue,
        args: [{ merchant: WALLET.merchant, period, tuning: { providerAttempts: 2, retryMs: 100 } }],
      })
      .catch((err: Error & { cause?: Error }) => err.cause?.message);
    expect(down).toMatch(new RegExp(`^provider simulator of merchant ${WALLET.merchant} could not be read for .* \\(page 1, 2 attempts\\): simulator books of merchant ${WALLET.merchant}: GET /acquirer/v1/records.*503`));
  } finally {
    await fetch(`${system.simUrl}/sim/faults`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ down: false }) });
  }
});
