import { FLAG_KINDS, type FlagKind, type Matching, type Period } from './types';

/** What one merchant's reading covered: the provider and how many pages of each side. */
export interface Coverage {
  merchant: string;
  provider: string;
  recordPages: number;
  records: number;
  paymentPages: number;
  payments: number;
}

/** The day's settlement report: every merchant covered, its sums and its flags. No clock time, so a rerun is identical. */
export interface ReconciliationReport extends Matching {
  period: Period;
  /** The merchant asked for, or 'all'. */
  scope: string;
  coverage: Coverage[];
  /** Flags by kind (every kind present, 0 when none). */
  mismatches: Record<FlagKind, number>;
}

/** The report with where it was written. */
export interface ReconciliationResult extends ReconciliationReport {
  files: string[];
}

/** Flags by kind, every kind listed. */
export function mismatchCounts(m: Matching): Record<FlagKind, number> {
  const counts = Object.fromEntries(FLAG_KINDS.map((k) => [k, 0])) as Record<FlagKind, number>;
  for (const f of m.flags) counts[f.kind]++;
  return counts;
}

/** The report's file name without extension: the same period and scope always name the same files. */
export function reportBaseName(report: Pick<ReconciliationReport, 'scope' | 'period'>): string {
  const stamp = (iso: string) => iso.replace(/[-:.]/g, '').replace(/000Z$/, 'Z');
  return `reconciliation-${report.scope.replace(/[^A-Za-z0-9_-]/g, '_')}-${stamp(report.period.from)}-${stamp(report.period.to)}`;
}
