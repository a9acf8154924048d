import { promises as fs } from 'node:fs';
import * as path from 'node:path';
import { reportBaseName, type ReconciliationReport } from '@payments/workflow';

const cell = (v: unknown): string => {
  const s = v === null || v === undefined ? '' : String(v);
  return /[",\n]/.test(s) ? `"${s.replace(/"/g, '""')}"` : s;
};

/** Rows as CSV with a header line, columns in the order of `columns`. */
export function toCsv<T extends object>(rows: readonly T[], columns: readonly (keyof T & string)[]): string {
  return [columns.join(','), ...rows.map((r) => columns.map((c) => cell(r[c])).join(','))].join('\n') + '\n';
}

/** The report's files by name: the whole report as JSON, and its tallies, money and flags as CSV. */
export function reportFiles(report: ReconciliationReport): Record<string, string> {
  const base = reportBaseName(report);
  return {
    [`${base}.json`]: `${JSON.stringify(report, null, 2)}\n`,
    [`${base}.tallies.csv`]: toCsv(report.tallies, ['merchant', 'storeid', 'method', 'kind', 'state', 'count', 'amountMinor']),
    [`${base}.money.csv`]: toCsv(report.money, ['merchant', 'storeid', 'currencycode', 'capturedMinor', 'refundedMinor', 'reversedMinor', 'voidedMinor', 'netMinor']),
    [`${base}.flags.csv`]: toCsv(report.flags, ['kind', 'paymentid', 'merchant', 'storeid', 'evidence']),
  };
}

/**
 * Writes the report's files into `dir` (each whole: a temp file renamed over it). A file that
 * already holds the same text is left alone, so a rerun over the same period writes nothing.
 */
export async function writeReportFiles(dir: string, report: ReconciliationReport): Promise<{ files: string[]; written: number }> {
  await fs.mkdir(dir, { recursive: true });
  const files: string[] = [];
  let written = 0;
  for (const [name, text] of Object.entries(reportFiles(report))) {
    const file = path.join(dir, name);
    files.push(file);
    const old = await fs.readFile(file, 'utf8').catch(() => null);
    if (old === text) continue;
    const tmp = `${file}.${process.pid}.tmp`;
    await fs.writeFile(tmp, text, 'utf8');
    await fs.rename(tmp, file);
    written++;
  }
  return { files, written };
}
