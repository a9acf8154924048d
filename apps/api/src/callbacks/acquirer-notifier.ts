import { WorkflowNotFoundError } from '@temporalio/client';
import { acquirerChangedSignal, paymentWorkflowId } from '@payments/workflow';
import type { AcquirerNotifier } from './callback-router';
import type { PaymentsClient } from '../temporal';
import type { PaymentViews } from '../views';

/**
 * Signals the payment's workflow that its provider has news: the one path of every provider
 * event (the acquirer's callbacks, Stripe's webhooks). A payment whose provider pushes its
 * events reads the collection once on it; one that long-polls looks again at once. A payment
 * we don't know (or that has closed) needs nothing; other failures throw, so the event is
 * answered 503 and its sender delivers it again.
 */
export function signalAcquirerChanged(client: PaymentsClient, deadlineMs: number, views?: Pick<PaymentViews, 'last'>): AcquirerNotifier {
  return async (paymentid) => {
    // Past inprogress the workflow no longer reads its provider: a signal would cost it a
    // workflow task for nothing (Stripe's payment_intent.succeeded after every capture, say).
    // A state never goes back to inprogress, so a view that has left it is never too new.
    const held = views?.last(paymentid);
    if (held && held.paymentstate.state !== 'inprogress') return;
    try {
      await client.withDeadline(Date.now() + deadlineMs, () =>
        client.workflow.getHandle(paymentWorkflowId(paymentid)).signal(acquirerChangedSignal),
      );
    } catch (err) {
      if (!(err instanceof WorkflowNotFoundError)) throw err;
    }
  };
}
