// What a payment may cost Temporal, read from its history on the real dev server. Throughput on
// one machine is bounded by this work, and unlike a benchmark the count does not depend on the
// machine: a change that adds work to a standard flow fails here.
import { WithStartWorkflowOperation, type WorkflowHandle } from '@temporalio/client';
import type { TestWorkflowEnvironment } from '@temporalio/testing';
import { historyWork, lateCancelTimer, type HistoryWork } from './testing/history-work';
import { paymentWorkflowId } from './ids';
import { refundReservationUpdate, setStateUpdate } from './messages';
import { SA } from './search-attributes';
import { registerAnsweredSignal } from './start-gate';
import { paymentWorkflow } from './payment-workflow';
import { connectEnv, eventually, paymentInput, scriptedActivities, startPayment, withWorker } from './testing/harness';
import type { PaymentInput } from './types';

let env: TestWorkflowEnvironment;
beforeAll(async () => {
  env = await connectEnv();
});
afterAll(async () => {
  await env?.teardown();
});

type Handle = WorkflowHandle<typeof paymentWorkflow>;
/**
 * Waits for the payment's state the way an operator would see it, from its search attribute
 * (describe reads the server, not the worker). Not by query: in production the API answers
 * polls from the views the worker pushes, and a query that reaches a workflow while its
 * workflow task runs a local activity makes the worker end that task early and ask for a
 * new one (measured: one workflow task more) — work the test's own polling would add.
 */
const reach = (h: Handle, state: string) =>
  eventually(() => h.describe(), (d) => d.typedSearchAttributes.get(SA.PaymentState) === state);

/** The register's side of a sale: it sees ready_to_complete and PUTs completed. */
const completeAtReady = async (h: Handle) => {
  await reach(h, 'ready_to_complete');
  await h.executeUpdate(setStateUpdate, { args: ['completed'] });
};

/** Runs a payment with the usual acquirer (QR code first, then approved) and returns its history's work. */
async function work(
  input: PaymentInput,
  drive: (h: Handle) => Promise<void>,
  { start = (taskQueue) => startPayment(env, taskQueue, input), until }: { start?: (taskQueue: string) => Promise<Handle>; until?: Parameters<typeof historyWork>[1] } = {},
): Promise<HistoryWork> {
  return withWorker(env, scriptedActivities({}, []), async (taskQueue) => {
    const h = await start(taskQueue);
    await drive(h);
    // The stretch under test has ended once its last event is there; the history is read then.
    const history = await eventually(() => h.fetchHistory(), (hist) => !until || (hist.events ?? []).some(until));
    return historyWork(history.events ?? [], until);
  });
}

test('a sale: approved, ready_to_complete, PUT completed, confirmed → ≤ 3 workflow tasks, ≤ 1 activity task, ≤ 24 events up to the late-cancel timer', async () => {
  const used = await work(
    paymentInput(),
    completeAtReady,
    { until: lateCancelTimer },
  );
  expect(used.workflowTasks).toBeLessThanOrEqual(3);
  expect(used.activityTasks).toBeLessThanOrEqual(1);
  expect(used.events).toBeLessThanOrEqual(24);
});

test('a sale as the API starts it (first task after 100 ms, then the register-answered signal) → ≤ 3 workflow tasks, ≤ 1 activity task, ≤ 25 events up to the late-cancel timer', async () => {
  // The confirmation that the register got its paymentid (the money rule that no start whose
  // POST failed ever reaches the acquirer) costs one event, the signal: it arrives during the
  // start delay, so the first workflow task already finds it.
  const input = paymentInput({ startConfirmation: { postedAt: Date.now(), withinMs: 30_000 } });
  const used = await work(
    input,
    completeAtReady,
    {
      until: lateCancelTimer,
      start: async (taskQueue) => {
        const h = await env.client.workflow.start(paymentWorkflow, {
          workflowId: paymentWorkflowId(input.paymentid),
          taskQueue,
          args: [input],
          startDelay: '100ms',
        });
        await h.signal(registerAnsweredSignal);
        return h;
      },
    },
  );
  expect(used.workflowTasks).toBeLessThanOrEqual(3);
  expect(used.activityTasks).toBeLessThanOrEqual(1);
  expect(used.events).toBeLessThanOrEqual(25);
});

test('a refund that credits a sale (admitted in its POST) → ≤ 3 workflow tasks, ≤ 1 activity task, ≤ 27 events up to the late-cancel timer', async () => {
  const input = paymentInput({ kind: 'refund', amountMinor: -5000, request: { amount: '-50.00', creditpaymentid: 'sale-1' } });
  const used = await work(
    input,
    completeAtReady,
    {
      until: lateCancelTimer,
      start: async (taskQueue) => {
        const startWorkflowOperation = new WithStartWorkflowOperation(paymentWorkflow, {
          workflowId: paymentWorkflowId(input.paymentid),
          taskQueue,
          args: [input],
          workflowIdConflictPolicy: 'FAIL',
        });
        expect(await env.client.workflow.executeUpdateWithStart(refundReservationUpdate, { startWorkflowOperation })).toEqual({ admitted: true });
        return startWorkflowOperation.workflowHandle();
      },
    },
  );
  expect(used.workflowTasks).toBeLessThanOrEqual(3);
  expect(used.activityTasks).toBeLessThanOrEqual(1);
  expect(used.events).toBeLessThanOrEqual(27);
});

test('PUT cancelled at ready_to_complete → reversed and closed in ≤ 4 workflow tasks, ≤ 1 activity task, ≤ 26 events in all', async () => {
  // 3 workflow tasks in most runs, 4 in about one in four here: which one depends on the order in
  // which the update and the workflow's own last task reach the server, not on the code.
  const used = await work(paymentInput(), async (h) => {
    await reach(h, 'ready_to_complete');
    await h.executeUpdate(setStateUpdate, { args: ['cancelled'] });
    await h.result();
  });
  expect(used.workflowTasks).toBeLessThanOrEqual(4);
  expect(used.activityTasks).toBeLessThanOrEqual(1);
  expect(used.events).toBeLessThanOrEqual(26);
});

test('a silent register: reversed after ACK_TIMEOUT_MS and closed in ≤ 3 workflow tasks, ≤ 1 activity task, ≤ 23 events in all', async () => {
  const used = await work(paymentInput({ timers: { ackTimeoutMs: 300 } }), async (h) => {
    expect((await h.result()).paymentstate.state).toBe('cancelled');
  });
  expect(used.workflowTasks).toBeLessThanOrEqual(3);
  expect(used.activityTasks).toBeLessThanOrEqual(1);
  expect(used.events).toBeLessThanOrEqual(23);
});
