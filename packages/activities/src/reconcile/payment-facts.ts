import type { Client, WorkflowExecutionInfo } from '@temporalio/client';
import { executionInfoFromRaw } from '@temporalio/client/lib/helpers';
import { CURRENCY_DECIMALS, parseAmount } from '@payments/contract';
import { paymentWorkflowId, readPaymentMemo, SA, type Page, type PaymentFact, type Period, type ReversalState } from '@payments/workflow';

const REVERSALS: readonly string[] = ['none', 'pending', 'done', 'failed'];
const quote = (v: string) => `'${v.replace(/\\/g, '\\\\').replace(/'/g, "\\'")}'`;

/** The visibility query of a merchant's payment workflows started in [from, to). */
export function paymentsQuery(merchant: string, period: Period): string {
  return `WorkflowType = 'paymentWorkflow' AND Merchant = ${quote(merchant)} AND StartTime >= ${quote(period.from)} AND StartTime < ${quote(period.to)}`;
}

/** A payment as visibility shows it: the closing memo when there is one, the search attributes otherwise. */
export function paymentFact(info: WorkflowExecutionInfo): PaymentFact {
  const sa = info.typedSearchAttributes;
  const memo = readPaymentMemo(info.memo);
  const final = memo.final;
  const reversalMemo = (info.memo as { reversal?: unknown } | undefined)?.reversal;
  const reversalRaw = typeof reversalMemo === 'string' ? reversalMemo : (sa.get(SA.ReversalState) ?? 'none');
  const currencycode = final?.currencycode ?? '';
  const parsed = final ? parseAmount(final.amount, final.currencycode) : null;
  // A payment with no closing memo (still running, or ended abnormally) is known by its search attributes.
  const fromSa = Math.round(Math.abs(sa.get(SA.PaymentAmount) ?? 0) * 10 ** (CURRENCY_DECIMALS[currencycode] ?? 2));
  return {
    paymentid: info.workflowId.replace(/^payment-/, ''),
    merchant: sa.get(SA.Merchant) ?? memo.merchant ?? '',
    storeid: final?.storeid ?? sa.get(SA.StoreId) ?? '',
    method: sa.get(SA.PaymentMethod) === 'card' ? 'card' : 'wallet',
    kind: sa.get(SA.PaymentKind) === 'refund' ? 'refund' : 'sale',
    amountMinor: parsed?.ok ? Math.abs(parsed.minor) : fromSa,
    currencycode,
    state: final?.paymentstate.state ?? sa.get(SA.PaymentState) ?? 'unknown',
    closed: info.status.name !== 'RUNNING',
    reversal: (REVERSALS.includes(reversalRaw) ? reversalRaw : 'none') as ReversalState,
    creditpaymentid: final?.creditpaymentid ?? sa.get(SA.CreditPaymentId) ?? null,
    startedAt: info.startTime.toISOString(),
  };
}

/** One page of visibility's answer to `query`, decoded; the cursor is the server's page token. */
export async function listPage(client: Client, query: string, pageSize: number, cursor: string | null): Promise<Page<WorkflowExecutionInfo>> {
  const namespace = client.options.namespace;
  const res = await client.workflowService.listWorkflowExecutions({
    namespace,
    query,
    pageSize,
    nextPageToken: cursor === null ? undefined : Buffer.from(cursor, 'base64'),
  });
  const items = await Promise.all((res.executions ?? []).map((raw) => executionInfoFromRaw(raw, client.options.loadedDataConverter, raw, namespace)));
  const token = res.nextPageToken && res.nextPageToken.length > 0 ? Buffer.from(res.nextPageToken).toString('base64') : null;
  return { items, next: token };
}

/** Which of these paymentids have a payment workflow, in one visibility query. */
export async function existingPayments(client: Client, paymentids: readonly string[]): Promise<string[]> {
  if (paymentids.length === 0) return [];
  const ids = paymentids.map((id) => quote(paymentWorkflowId(id))).join(', ');
  const found = new Set<string>();
  let cursor: string | null = null;
  do {
    const page: Page<WorkflowExecutionInfo> = await listPage(client, `WorkflowType = 'paymentWorkflow' AND WorkflowId IN (${ids})`, 1000, cursor);
    for (const info of page.items) found.add(info.workflowId.replace(/^payment-/, ''));
    cursor = page.next;
  } while (cursor !== null);
  return [...found].sort();
}
