import type { Flag } from './types';

/**
 * A reconciliation's flag on one payment, as a workflow of its own: a closed payment's search
 * attributes can no longer change, so the flag carries `ReconciliationState = 'mismatch'` and the
 * payment's merchant and store, its id names the payment, and its memo holds the evidence.
 * It ends at once; Temporal Web keeps it for the namespace's retention.
 */
export async function reconciliationFlagWorkflow(flag: Flag): Promise<Flag> {
  return flag;
}

/** One flag per payment and kind: a rerun finds it already there and writes nothing. */
export function flagWorkflowId(flag: Pick<Flag, 'paymentid' | 'kind'>): string {
  return `reconciliation-${flag.paymentid}-${flag.kind}`;
}
