import type { Client, WorkflowExecutionInfo } from '@temporalio/client';
import { executionInfoFromRaw } from '@temporalio/client/lib/helpers';
import { paymentWorkflowId, type Page, type Period } from '@payments/workflow';

const quote = (v: string) => `'${v.replace(/\\/g, '\\\\').replace(/'/g, "\\'")}'`;

/** The visibility query of a merchant's payment workflows started in [from, to). */
export function paymentsQuery(merchant: string, period: Period): string {
  return `WorkflowType = 'paymentWorkflow' AND Merchant = ${quote(merchant)} AND StartTime >= ${quote(period.from)} AND StartTime < ${quote(period.to)}`;
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
