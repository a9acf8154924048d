import { defineSearchAttributeKey, SearchAttributeType } from '@temporalio/common';
import { ActivityFailure, ApplicationFailure, continueAsNew, proxyActivities, setCurrentDetails, workflowInfo } from '@temporalio/workflow';
import type { MerchantScope, ReconcileActivities } from './activities';
import { addPayments, addRecords, dropOutside, emptyMatch, finishMatch, openReferences, type MatchState } from './match';
import { canonicalPeriod, dayBefore, periodProblem } from './period';
import { mismatchCounts, type Coverage, type ReconciliationReport, type ReconciliationResult } from './report';
import type { Period } from './types';

/** Failure types the reconciliation ends with; each message names the period, merchant or provider. */
export const RECONCILE_FAILURE = {
  badPeriod: 'bad-period',
  unknownMerchant: 'unknown-merchant',
  providerUnreadable: 'provider-unreadable',
  reportUnwritable: 'report-unwritable',
} as const;

/** How a run pages; tests make them small. */
export interface ReconcileTuning {
  /** Payments or records per page (one activity each). */
  pageSize: number;
  /** Past this many history events the run continues as new, carrying what it read. */
  maxHistoryEvents: number;
  /** Attempts at reading one page of a provider before the run fails naming it. */
  providerAttempts: number;
  /** The first retry's wait (doubling after), ms. */
  retryMs: number;
}

export const DEFAULT_TUNING: ReconcileTuning = { pageSize: 500, maxHistoryEvents: 2_000, providerAttempts: 5, retryMs: 2_000 };

/** Records a little before and after the period are read too: a payment at 23:59 may reach its provider at 00:00. */
export const RECORD_MARGIN_MS = 60 * 60_000;

export interface ReconcileInput {
  /** One merchant, or null for every configured merchant. */
  merchant: string | null;
  /** The period; absent (the daily schedule), the local day before the run in `timeZone`. */
  period?: Period;
  /** IANA time zone of the daily period. */
  timeZone?: string;
  tuning?: Partial<ReconcileTuning>;
  /** What earlier runs of this reconciliation read (continue-as-new). */
  progress?: ReconcileProgress;
}

/** Where a reconciliation stands: carried from one run to the next when its history grows long. */
export interface ReconcileProgress {
  period: Period;
  merchants: MerchantScope[];
  /** The merchant being read, by index. */
  at: number;
  side: 'records' | 'payments';
  cursor: string | null;
  /** The matching so far: records not matched yet and running sums, never the payments already matched. */
  match: MatchState;
  coverage: Coverage[];
}

/** The workflow id of an on-demand reconciliation: a rerun over the same period reuses it. */
export function reconcileWorkflowId(merchant: string | null, period: Period): string {
  return `reconcile-${merchant ?? 'all'}-${period.from}-${period.to}`;
}

/**
 * Reconciles a period: pages through the merchants' payments (Temporal's visibility) and their
 * providers' records, matches them by reference, and publishes the report and its flags.
 * Started daily by a Schedule and on demand by `npm run reconcile`.
 */
export async function reconcileWorkflow(input: ReconcileInput): Promise<ReconciliationResult> {
  const tuning = { ...DEFAULT_TUNING, ...input.tuning };
  const pages = proxyActivities<ReconcileActivities>({
    startToCloseTimeout: '2 minutes',
    retry: { initialInterval: tuning.retryMs, backoffCoefficient: 2, maximumAttempts: tuning.providerAttempts, nonRetryableErrorTypes: [RECONCILE_FAILURE.unknownMerchant] },
  });
  const local = proxyActivities<ReconcileActivities>({ startToCloseTimeout: '5 minutes', retry: { initialInterval: '1s', maximumInterval: '30s' } });
  const publisher = proxyActivities<ReconcileActivities>({
    startToCloseTimeout: '5 minutes',
    retry: { initialInterval: tuning.retryMs, backoffCoefficient: 2, maximumAttempts: tuning.providerAttempts },
  });

  const p: ReconcileProgress = input.progress ?? (await begin(input, pages));
  const scope = input.merchant ?? 'all';
  const show = () => {
    const m = p.merchants[p.at];
    const read = p.coverage.reduce((n, c) => ({ payments: n.payments + c.payments, records: n.records + c.records }), { payments: 0, records: 0 });
    setCurrentDetails(`reconciling ${scope} ${p.period.from} to ${p.period.to}: ${m ? `${m.merchant} (${m.provider}) ${p.side}` : 'publishing'}, ${read.payments} payments and ${read.records} records read`);
  };

  while (p.at < p.merchants.length) {
    const m = p.merchants[p.at] as MerchantScope;
    const cover = p.coverage[p.at] as Coverage;
    show();
    if (p.side === 'records') {
      const margin = { from: new Date(Date.parse(p.period.from) - RECORD_MARGIN_MS).toISOString(), to: new Date(Date.parse(p.period.to) + RECORD_MARGIN_MS).toISOString() };
      let page;
      try {
        page = await pages.listRecordPage({ scope: m, period: margin, pageSize: tuning.pageSize, cursor: p.cursor });
      } catch (err) {
        const cause = err instanceof ActivityFailure && err.cause ? err.cause.message : String(err);
        throw ApplicationFailure.nonRetryable(
          `provider ${m.provider} of merchant ${m.merchant} could not be read for ${p.period.from} to ${p.period.to} (page ${cover.recordPages + 1}, ${tuning.providerAttempts} attempts): ${cause}`,
          RECONCILE_FAILURE.providerUnreadable,
        );
      }
      addRecords(p.match, page.items);
      cover.recordPages++;
      cover.records += page.items.length;
      p.cursor = page.next;
      if (p.cursor === null) p.side = 'payments';
    } else {
      const page = await local.listPaymentPage({ merchant: m.merchant, period: p.period, pageSize: tuning.pageSize, cursor: p.cursor });
      addPayments(p.match, page.items);
      cover.paymentPages++;
      cover.payments += page.items.length;
      p.cursor = page.next;
      if (p.cursor === null) {
        dropOutside(p.match, p.period);
        p.at++;
        p.side = 'records';
      }
    }
    const info = workflowInfo();
    if (info.continueAsNewSuggested || info.historyLength > tuning.maxHistoryEvents) {
      await continueAsNew<typeof reconcileWorkflow>({ merchant: input.merchant, timeZone: input.timeZone, tuning: input.tuning, period: p.period, progress: p });
    }
  }

  show();
  const unmatched = openReferences(p.match, p.period);
  const elsewhere = new Set<string>();
  for (let i = 0; i < unmatched.length; i += tuning.pageSize) {
    for (const id of await local.knownPayments({ paymentids: unmatched.slice(i, i + tuning.pageSize) })) elsewhere.add(id);
  }
  const matching = finishMatch(p.match, p.period, { paymentsElsewhere: elsewhere });
  const report: ReconciliationReport = { period: p.period, scope, coverage: p.coverage, ...matching, mismatches: mismatchCounts(matching) };
  let files: string[];
  try {
    ({ files } = await publisher.publishReport({ report }));
  } catch (err) {
    const cause = err instanceof ActivityFailure && err.cause ? err.cause.message : String(err);
    throw ApplicationFailure.nonRetryable(`the report of ${scope} ${p.period.from} to ${p.period.to} could not be published (${tuning.providerAttempts} attempts): ${cause}`, RECONCILE_FAILURE.reportUnwritable);
  }
  setCurrentDetails(`reconciled ${scope} ${p.period.from} to ${p.period.to}: ${matching.flags.length} flagged`);
  return { ...report, files };
}

/** Set by Temporal on a Schedule's runs: the time the run was due, which a late (caught-up) run keeps. */
const SCHEDULED_START = defineSearchAttributeKey('TemporalScheduledStartTime', SearchAttributeType.DATETIME);

/** Checks the period and finds the merchants: the start of a fresh reconciliation. */
async function begin(input: ReconcileInput, pages: ReconcileActivities): Promise<ReconcileProgress> {
  const info = workflowInfo();
  const due = info.typedSearchAttributes.get(SCHEDULED_START) ?? info.runStartTime;
  const asked = input.period ?? dayBefore(due.getTime(), input.timeZone ?? 'UTC');
  const problem = periodProblem(asked);
  if (problem) throw ApplicationFailure.nonRetryable(`bad period: ${problem}`, RECONCILE_FAILURE.badPeriod);
  const period = canonicalPeriod(asked);
  let merchants: MerchantScope[];
  try {
    merchants = await pages.reconciliationScope({ merchant: input.merchant });
  } catch (err) {
    if (err instanceof ActivityFailure && err.cause instanceof ApplicationFailure && err.cause.type === RECONCILE_FAILURE.unknownMerchant) {
      throw ApplicationFailure.nonRetryable(err.cause.message, RECONCILE_FAILURE.unknownMerchant);
    }
    throw err;
  }
  return {
    period,
    merchants,
    at: 0,
    side: 'records',
    cursor: null,
    match: emptyMatch(),
    coverage: merchants.map((m) => ({ merchant: m.merchant, provider: m.provider, recordPages: 0, records: 0, paymentPages: 0, payments: 0 })),
  };
}
