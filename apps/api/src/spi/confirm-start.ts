import { WorkflowNotFoundError } from '@temporalio/client';
import { paymentWorkflowId, registerAnsweredSignal, type StartConfirmation } from '@payments/workflow';
import type { AdmissionControl } from '../admission';
import { isTemporalUnavailable, type PaymentsClient } from '../temporal';

/** Pause between tries of a confirmation that Temporal did not take. */
const RETRY_MS = 250;
/** Kept back from the end of the start window: a signal that lands later would find the payment cancelled anyway. */
const MARGIN_MS = 200;

const sleep = (ms: number) => new Promise<void>((r) => setTimeout(r, ms));

/**
 * Tells the payment's workflow that its register has been answered with the paymentid, which
 * lets it start the collection (packages/workflow/src/start-gate.ts). Called only once the 200
 * has been handed to the register's connection; tried again until the start window closes,
 * under an admission permit that is never refused (it finishes a payment already admitted).
 * Resolves true once the workflow has it, false when the window closed first: the payment then
 * ends cancelled without touching acquirer or terminal, which the register sees on its next poll.
 */
export async function confirmStart(o: {
  client: PaymentsClient;
  admission: AdmissionControl;
  paymentid: string;
  runId: string | undefined;
  confirmation: StartConfirmation;
}): Promise<boolean> {
  const until = o.confirmation.postedAt + o.confirmation.withinMs - MARGIN_MS;
  const handle = o.client.workflow.getHandle(paymentWorkflowId(o.paymentid), o.runId);
  while (Date.now() < until) {
    try {
      await o.admission.run('finish', () => o.client.withDeadline(until, () => handle.signal(registerAnsweredSignal)), isTemporalUnavailable);
      return true;
    } catch (err) {
      // Closed already (an idempotent retry of a payment that ended): nothing left to confirm.
      if (err instanceof WorkflowNotFoundError) return false;
      if (!isTemporalUnavailable(err)) throw err;
    }
    await sleep(Math.min(RETRY_MS, Math.max(0, until - Date.now())));
  }
  return false;
}
