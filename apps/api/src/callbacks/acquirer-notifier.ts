import { WorkflowNotFoundError } from '@temporalio/client';
import { acquirerChangedSignal, paymentWorkflowId } from '@payments/workflow';
import type { AcquirerNotifier } from './callback-router';
import type { PaymentsClient } from '../temporal';

/**
 * Signals the payment's workflow that the acquirer has news, so a waiting poll looks again at
 * once. A payment we don't know (or that has closed) needs nothing; other failures throw, so
 * the callback answers 503 and the acquirer delivers it again.
 */
export function signalAcquirerChanged(client: PaymentsClient, deadlineMs: number): AcquirerNotifier {
  return async (paymentid) => {
    try {
      await client.withDeadline(Date.now() + deadlineMs, () =>
        client.workflow.getHandle(paymentWorkflowId(paymentid)).signal(acquirerChangedSignal),
      );
    } catch (err) {
      if (!(err instanceof WorkflowNotFoundError)) throw err;
    }
  };
}
