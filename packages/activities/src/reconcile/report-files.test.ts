import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { mismatchCounts, type ReconciliationReport } from '@payments/workflow';
import { toCsv, writeReportFiles } from './report-files';

const matching = {
  tallies: [{ merchant: 'demo', storeid: '1', method: 'wallet', kind: 'sale', state: 'completed', count: 2, amountMinor: 20000 }],
  money: [{ merchant: 'demo', storeid: '1', currencycode: 'SEK', capturedMinor: 20000, refundedMinor: 0, reversedMinor: 0, voidedMinor: 0, netMinor: 20000 }],
  flags: [{ kind: 'hold-open' as const, paymentid: 'p1', merchant: 'demo', storeid: '1', evidence: 'the provider still holds 100, "SEK"' }],
};
const report: ReconciliationReport = {
  period: { from: '2026-12-05T23:00:00.000Z', to: '2026-12-06T23:00:00.000Z' },
  scope: 'demo',
  coverage: [{ merchant: 'demo', provider: 'simulator', recordPages: 1, records: 2, paymentPages: 1, payments: 2 }],
  ...matching,
  mismatches: mismatchCounts(matching),
};

test('CSV → a header, then one line a row; commas and quotes quoted', () => {
  expect(toCsv(report.flags, ['kind', 'paymentid', 'evidence'])).toBe('kind,paymentid,evidence\nhold-open,p1,"the provider still holds 100, ""SEK"""\n');
});

test('the files of a period: JSON and three CSVs named after scope and period; the same report again → nothing rewritten', async () => {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'report-'));
  const first = await writeReportFiles(path.join(dir, 'reports'), report);
  expect(first.files.map((f) => path.basename(f))).toEqual([
    'reconciliation-demo-20261205T230000Z-20261206T230000Z.json',
    'reconciliation-demo-20261205T230000Z-20261206T230000Z.tallies.csv',
    'reconciliation-demo-20261205T230000Z-20261206T230000Z.money.csv',
    'reconciliation-demo-20261205T230000Z-20261206T230000Z.flags.csv',
  ]);
  expect(first.written).toBe(4);
  expect(JSON.parse(fs.readFileSync(first.files[0] as string, 'utf8'))).toEqual(report);
  expect((await writeReportFiles(path.join(dir, 'reports'), report)).written).toBe(0);
  expect((await writeReportFiles(path.join(dir, 'reports'), { ...report, flags: [] })).written).toBe(2); // the JSON and the flags
  fs.rmSync(dir, { recursive: true, force: true });
});
