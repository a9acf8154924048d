import type { TestWorkflowEnvironment } from '@temporalio/testing';
import { paymentQuery } from './messages';
import { confirmationWaitMs, registerAnsweredSignal, START_NOT_CONFIRMED } from './start-gate';
import { connectEnv, eventually, paymentInput, scriptedActivities, startPayment, withWorker } from './testing/harness';

describe('confirmationWaitMs: how long a payment waits for the register to have been answered', () => {
  it('a payment started without a start confirmation (before this existed) does not wait', () => {
    expect(confirmationWaitMs(undefined, 1_000)).toBeNull();
  });

  it('waits what is left of the window after the POST arrived', () => {
    expect(confirmationWaitMs({ postedAt: 1_000, withinMs: 10_000 }, 3_500)).toBe(7_500);
  });

  it('a start that lands after its window (a delayed start RPC) has no time left: it is cancelled untouched', () => {
    expect(confirmationWaitMs({ postedAt: 1_000, withinMs: 10_000 }, 11_000)).toBe(0);
    expect(confirmationWaitMs({ postedAt: 1_000, withinMs: 10_000 }, 60_000)).toBe(0);
  });
});

describe('payment workflow: the start gate, against the dev server', () => {
  let env: TestWorkflowEnvironment;
  beforeAll(async () => {
    env = await connectEnv();
  });
  afterAll(async () => {
    await env?.teardown();
  });

  const stateOf = (h: Awaited<ReturnType<typeof startPayment>>) => h.query(paymentQuery).then((p) => p.paymentstate);

  it('never confirmed (its POST was answered with an error) → cancelled at the window, no acquirer or terminal call', async () => {
    const calls: string[] = [];
    await withWorker(env, scriptedActivities({}, calls), async (taskQueue) => {
      const input = paymentInput({ startConfirmation: { postedAt: Date.now(), withinMs: 1_000 } });
      const handle = await startPayment(env, taskQueue, input);
      const final = await handle.result();
      expect(final.paymentstate.state).toBe('cancelled');
      expect(final.paymentstate.message).toBe(START_NOT_CONFIRMED);
    });
    expect(calls).toEqual([]);
  });

  it('a start that lands after its window is cancelled at once, untouched', async () => {
    const calls: string[] = [];
    await withWorker(env, scriptedActivities({}, calls), async (taskQueue) => {
      const input = paymentInput({ startConfirmation: { postedAt: Date.now() - 60_000, withinMs: 10_000 } });
      const final = await (await startPayment(env, taskQueue, input)).result();
      expect(final.paymentstate.state).toBe('cancelled');
    });
    expect(calls).toEqual([]);
  });

  it('confirmed → the collection starts and the payment goes on to ready_to_complete', async () => {
    const calls: string[] = [];
    await withWorker(env, scriptedActivities({}, calls), async (taskQueue) => {
      const input = paymentInput({ startConfirmation: { postedAt: Date.now(), withinMs: 30_000 } });
      const handle = await startPayment(env, taskQueue, input);
      expect((await stateOf(handle)).state).toBe('inprogress');
      expect(calls).toEqual([]);
      await handle.signal(registerAnsweredSignal);
      await eventually(() => stateOf(handle), (s) => s.state === 'ready_to_complete');
    });
    expect(calls).toEqual(['startCollection', 'awaitCollection']);
  });

  it('a refund never confirmed releases its reservation on the sale and pays nothing out', async () => {
    const calls: string[] = [];
    await withWorker(env, scriptedActivities({ reserve: 'ok' }, calls), async (taskQueue) => {
      const input = paymentInput({
        request: { amount: '-100.00', creditpaymentid: 'sale-1' } as never,
        startConfirmation: { postedAt: Date.now(), withinMs: 500 },
      });
      const final = await (await startPayment(env, taskQueue, input)).result();
      expect(final.paymentstate.state).toBe('cancelled');
    });
    expect(calls).toEqual(['reserveRefund', 'finishRefund:released']);
  });
});
