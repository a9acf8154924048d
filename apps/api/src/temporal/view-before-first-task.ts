import { defaultPayloadConverter } from '@temporalio/client';
import { temporal } from '@temporalio/proto';
import type { Payment } from '@payments/contract';
import { initialPaymentView, paymentWorkflowId, type PaymentInput } from '@payments/workflow';
import type { Deadline } from './deadline';
import type { PaymentsClient } from './temporal-client';

/**
 * How long a payment's history is until its first workflow task has completed: started, the
 * start's confirmation (a signal), and the first task scheduled and started. A describe that
 * shows no more than this is worth a look at the history before a query.
 */
export const EVENTS_BEFORE_FIRST_TASK = 4;

const { EVENT_TYPE_WORKFLOW_TASK_COMPLETED } = temporal.api.enums.v1.EventType;

/**
 * The view of a payment whose workflow has not completed its first workflow task: nothing has
 * changed it yet, so it is the view the payment starts with, built from the start's input, as
 * the API instance that started it holds it. Read from the history, which needs no worker: a
 * query of such a workflow waits for that first task (the server holds it back until then).
 * Null once a task has completed (the workflow may have changed the view: a query answers).
 */
export async function viewBeforeFirstTask(client: PaymentsClient, paymentid: string, deadline: Deadline, reserveMs: number): Promise<Payment | null> {
  const history = await deadline.run(() => client.workflow.getHandle(paymentWorkflowId(paymentid)).fetchHistory(), { reserveMs });
  const events = history.events ?? [];
  if (events.some((e) => e.eventType === EVENT_TYPE_WORKFLOW_TASK_COMPLETED)) return null;
  const payload = events[0]?.workflowExecutionStartedEventAttributes?.input?.payloads?.[0];
  if (!payload) return null;
  return initialPaymentView(defaultPayloadConverter.fromPayload<PaymentInput>(payload));
}
