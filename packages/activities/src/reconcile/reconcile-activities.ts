import { Context } from '@temporalio/activity';
import { WorkflowExecutionAlreadyStartedError, type Client } from '@temporalio/client';
import { ApplicationFailure } from '@temporalio/common';
import type { ProviderRecords } from '@payments/adapters';
import { flagWorkflowId, paymentFact, RECONCILE_FAILURE, SA, type Flag, type ReconcileActivities } from '@payments/workflow';
import { existingPayments, listPage, paymentsQuery } from './payment-facts';
import { writeReportFiles } from './report-files';

export interface ReconcileDeps {
  client: Client;
  /** Where flag workflows run (the worker's own task queue). */
  taskQueue: string;
  /** Where the report's JSON and CSV files go. */
  reportDir: string;
  /** Every merchant a reconciliation may cover, with the reader of its provider's books. */
  readers: ReadonlyMap<string, ProviderRecords>;
  /** One line per new flag; the activity's logger by default. */
  log?: (message: string, fields: Record<string, unknown>) => void;
  /** Counts new flags by kind; the worker's `reconciliation_mismatches_total` by default. */
  countMismatch?: (kind: string, n: number) => void;
}

const signal = () => Context.current().cancellationSignal;

/** The reconciliation's activities over Temporal's visibility, the providers' readers and the report folder. */
export function createReconcileActivities(deps: ReconcileDeps): ReconcileActivities {
  const log = deps.log ?? ((message, fields) => Context.current().log.warn(message, fields));
  const countMismatch =
    deps.countMismatch ??
    ((kind, n) => Context.current().metricMeter.createCounter('reconciliation_mismatches_total', 'mismatches', 'Payments a reconciliation flagged, by kind').add(n, { kind }));

  /** Starts the flag's workflow unless a run already did: true when this one is new. */
  const flagPayment = async (flag: Flag): Promise<boolean> => {
    try {
      await deps.client.workflow.start('reconciliationFlagWorkflow', {
        workflowId: flagWorkflowId(flag),
        taskQueue: deps.taskQueue,
        args: [flag],
        workflowIdReusePolicy: 'REJECT_DUPLICATE',
        memo: { flag },
        typedSearchAttributes: [
          { key: SA.ReconciliationState, value: 'mismatch' },
          { key: SA.Merchant, value: flag.merchant },
          ...(flag.storeid !== null ? [{ key: SA.StoreId, value: flag.storeid }] : []),
        ],
        staticSummary: `${flag.kind} · payment ${flag.paymentid}`,
        staticDetails: flag.evidence,
      });
      return true;
    } catch (err) {
      if (err instanceof WorkflowExecutionAlreadyStartedError) return false;
      throw err;
    }
  };

  return {
    async reconciliationScope({ merchant }) {
      const all = [...deps.readers.keys()].sort();
      if (merchant === null) return all.map((m) => ({ merchant: m, provider: (deps.readers.get(m) as ProviderRecords).provider }));
      const reader = deps.readers.get(merchant);
      if (!reader) {
        throw ApplicationFailure.nonRetryable(
          `unknown merchant ${JSON.stringify(merchant)}: not in RECONCILIATION_MERCHANTS, CARD_PROVIDERS or WALLET_PROVIDERS (known: ${all.join(', ') || 'none'})`,
          RECONCILE_FAILURE.unknownMerchant,
        );
      }
      return [{ merchant, provider: reader.provider }];
    },

    async listPaymentPage({ merchant, period, pageSize, cursor }) {
      const page = await deps.client.withAbortSignal(signal(), () => listPage(deps.client, paymentsQuery(merchant, period), pageSize, cursor));
      return { items: page.items.map(paymentFact), next: page.next };
    },

    async listRecordPage({ scope, period, pageSize, cursor }) {
      const reader = deps.readers.get(scope.merchant);
      if (!reader) throw ApplicationFailure.nonRetryable(`unknown merchant ${JSON.stringify(scope.merchant)}`, RECONCILE_FAILURE.unknownMerchant);
      try {
        const page = await reader.listRecords({ merchant: scope.merchant, from: period.from, to: period.to, cursor, limit: pageSize, signal: signal() });
        return { items: page.records, next: page.next };
      } catch (err) {
        throw new Error(`${reader.provider} books of merchant ${scope.merchant}: ${err instanceof Error ? err.message : String(err)}`, { cause: err });
      }
    },

    async knownPayments({ paymentids }) {
      return deps.client.withAbortSignal(signal(), () => existingPayments(deps.client, paymentids));
    },

    async publishReport({ report }) {
      const { files } = await writeReportFiles(deps.reportDir, report);
      let newFlags = 0;
      for (const flag of report.flags) {
        if (!(await flagPayment(flag))) continue;
        newFlags++;
        countMismatch(flag.kind, 1);
        log(`reconciliation flagged payment ${flag.paymentid}: ${flag.kind}`, {
          reconciliation: flag.kind,
          paymentid: flag.paymentid,
          merchant: flag.merchant,
          storeid: flag.storeid,
          evidence: flag.evidence,
          period: report.period,
        });
      }
      return { files, newFlags };
    },
  };
}
