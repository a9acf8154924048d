// What an operator reads in Temporal: a payment workflow's status and search attributes, and
// the workflows a visibility query finds.
import { Client, Connection } from '@temporalio/client';
import { paymentWorkflowId, SA } from '@payments/workflow';

/** A client on the given server; close() ends its connection. */
export async function connectTemporal(address: string, namespace = 'default'): Promise<{ client: Client; close: () => Promise<void> }> {
  const connection = await Connection.connect({ address });
  return { client: new Client({ connection, namespace }), close: () => connection.close() };
}

/** What Temporal Web shows of one payment, read from the server alone (no worker needed). */
export interface WorkflowView {
  status: string;
  paymentState: string | undefined;
  reversalState: string | undefined;
}

export async function workflowView(client: Client, paymentid: string): Promise<WorkflowView> {
  const d = await client.workflow.getHandle(paymentWorkflowId(paymentid)).describe();
  return {
    status: d.status.name,
    paymentState: d.typedSearchAttributes.get(SA.PaymentState),
    reversalState: d.typedSearchAttributes.get(SA.ReversalState),
  };
}

/** The payment ids of the workflows a visibility query finds. */
export async function findPayments(client: Client, query: string): Promise<string[]> {
  const ids: string[] = [];
  for await (const wf of client.workflow.list({ query })) ids.push(wf.workflowId.replace(/^payment-/, ''));
  return ids;
}
