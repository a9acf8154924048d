import { WithStartWorkflowOperation, WorkflowUpdateFailedError } from '@temporalio/client';
import { ApplicationFailure } from '@temporalio/common';
import type { TestWorkflowEnvironment } from '@temporalio/testing';
import { acquirerChangedSignal, paymentQuery, reserveRefundUpdate, setStateUpdate, statusQuery, refundReservationUpdate, viewQuery } from './messages';
import { SA } from './search-attributes';
import { TEXT } from './texts';
import {
  APPROVED,
  PENDING,
  connectEnv,
  eventually,
  paymentInput,
  scriptedActivities,
  startPayment,
  withWorker,
  recordHistory,
  type Script,
} from './testing/harness';
import { paymentWorkflowId } from './ids';
import { paymentWorkflow } from './payment-workflow';
import type { PaymentInput } from './types';
import { initialPaymentView, type VersionedView } from './view';

let env: TestWorkflowEnvironment;
beforeAll(async () => {
  env = await connectEnv();
});
afterAll(async () => {
  await env?.teardown();
});

/** Starts a payment on a worker with the given fake acquirer and hands the test its handle. */
async function run(
  script: Script,
  input: PaymentInput,
  body: (h: Awaited<ReturnType<typeof startPayment>>, calls: string[]) => Promise<void>,
  views: VersionedView[] = [],
) {
  const calls: string[] = [];
  await withWorker(
    env,
    scriptedActivities(script, calls),
    async (taskQueue) => {
      const handle = await startPayment(env, taskQueue, input);
      await body(handle, calls);
      await recordHistory(handle);
    },
    views,
  );
  return calls;
}

const stateOf = (h: Awaited<ReturnType<typeof startPayment>>) => h.query(paymentQuery).then((p) => p.paymentstate.state);
const reachState = (h: Awaited<ReturnType<typeof startPayment>>, state: string) =>
  eventually(() => stateOf(h), (s) => s === state);

/** The error code a rejected PUT carries, as the API maps it to 409. */
async function rejection(promise: Promise<unknown>): Promise<string | null | undefined> {
  try {
    await promise;
  } catch (err) {
    if (err instanceof WorkflowUpdateFailedError && err.cause instanceof ApplicationFailure) return err.cause.type;
    throw err;
  }
  throw new Error('the update was accepted');
}

async function acceptedUpdates(h: Awaited<ReturnType<typeof startPayment>>): Promise<number> {
  const history = await h.fetchHistory();
  return (history.events ?? []).filter((e) => e.workflowExecutionUpdateAcceptedEventAttributes).length;
}

describe('payment workflow: the register’s transition table', () => {
  test('sale approved → ready_to_complete with receipt, PUT completed → completed and the acquirer is told', async () => {
    const calls = await run({ outcomes: [APPROVED] }, paymentInput({ timers: { lateCancelWindowMs: 500, refundWindowMs: 500 } }), async (h) => {
      const ready = await eventually(() => h.query(paymentQuery), (p) => p.paymentstate.state === 'ready_to_complete');
      expect(ready.paymentstate.receiptsection).toEqual(APPROVED.status === 'approved' ? APPROVED.receiptsection : []);
      expect(ready.paymentstate.qrcode).toBeNull();
      const done = await h.executeUpdate(setStateUpdate, { args: ['completed'] });
      expect(done.paymentstate.state).toBe('completed');
      const final = await h.result();
      expect(final.paymentstate.state).toBe('completed');
    });
    expect(calls).toEqual(['startCollection', 'awaitCollection', 'confirmPayment']);
  });

  test('inprogress shows the QR code and message; PUT completed → invalid-state, written nowhere in history', async () => {
    await run({ outcomes: ['never'] }, paymentInput(), async (h) => {
      const p = await eventually(() => h.query(paymentQuery), (v) => v.paymentstate.qrcode !== null);
      expect(p.paymentstate).toMatchObject({ state: 'inprogress', qrcode: PENDING.status === 'pending' ? PENDING.qrcode : '' });
      expect(await rejection(h.executeUpdate(setStateUpdate, { args: ['completed'] }))).toBe('invalid-state');
      expect(await acceptedUpdates(h)).toBe(0);
      await h.executeUpdate(setStateUpdate, { args: ['cancelled'] });
      await h.result();
    });
  });

  test('PUT completed and then PUT cancelled right after the start (its first workflow task may still be running) → invalid-state, then cancelled', async () => {
    await run({ outcomes: ['never'] }, paymentInput(), async (h) => {
      expect(await rejection(h.executeUpdate(setStateUpdate, { args: ['completed'] }))).toBe('invalid-state');
      expect((await h.executeUpdate(setStateUpdate, { args: ['cancelled'] })).paymentstate.state).toBe('cancelled');
      expect((await h.result()).paymentstate.state).toBe('cancelled');
    });
  });

  test('inprogress, PUT cancelled → cancelled at once, the request is stopped at the acquirer, nothing reversed', async () => {
    const calls = await run({ outcomes: ['never'] }, paymentInput(), async (h) => {
      await eventually(() => h.query(paymentQuery), (p) => p.paymentstate.qrcode !== null);
      const p = await h.executeUpdate(setStateUpdate, { args: ['cancelled'] });
      expect(p.paymentstate.state).toBe('cancelled');
      expect((await h.result()).paymentstate.state).toBe('cancelled');
    });
    expect(calls).toContain('cancelCollection');
    expect(calls).not.toContain('reversePayment');
  });

  test('inprogress, PUT cancelled while the customer had just paid → cancelled and reversed', async () => {
    const calls = await run({ outcomes: ['never'], cancel: APPROVED }, paymentInput(), async (h) => {
      await eventually(() => h.query(paymentQuery), (p) => p.paymentstate.qrcode !== null);
      await h.executeUpdate(setStateUpdate, { args: ['cancelled'] });
      await h.result();
      expect(await h.query(statusQuery)).toMatchObject({ state: 'cancelled', reversal: 'done' });
    });
    expect(calls.filter((c) => c === 'reversePayment')).toHaveLength(1);
  });

  test('ready_to_complete, PUT cancelled → cancelled and reversed once', async () => {
    const calls = await run({}, paymentInput(), async (h) => {
      await reachState(h, 'ready_to_complete');
      const p = await h.executeUpdate(setStateUpdate, { args: ['cancelled'] });
      expect(p.paymentstate.state).toBe('cancelled');
      await h.result();
      expect((await h.query(statusQuery)).reversal).toBe('done');
    });
    expect(calls.filter((c) => c === 'reversePayment')).toHaveLength(1);
  });

  test('completed, PUT completed again → unchanged', async () => {
    await run({}, paymentInput(), async (h) => {
      await reachState(h, 'ready_to_complete');
      await h.executeUpdate(setStateUpdate, { args: ['completed'] });
      const again = await h.executeUpdate(setStateUpdate, { args: ['completed'] });
      expect(again.paymentstate.state).toBe('completed');
      expect(await acceptedUpdates(h)).toBe(2);
      await h.terminate('test done');
    });
  });

  test('cancelled with the reversal still pending: PUT cancelled → unchanged, PUT completed → invalid-state', async () => {
    await run({ reverseFailures: 2 }, paymentInput(), async (h) => {
      await reachState(h, 'ready_to_complete');
      await h.executeUpdate(setStateUpdate, { args: ['cancelled'] });
      expect((await h.query(statusQuery)).reversal).toBe('pending');
      const twice = await h.executeUpdate(setStateUpdate, { args: ['cancelled'] });
      expect(twice.paymentstate.state).toBe('cancelled');
      expect(await rejection(h.executeUpdate(setStateUpdate, { args: ['completed'] }))).toBe('invalid-state');
      await h.result();
      expect((await h.query(statusQuery)).reversal).toBe('done');
    });
  });

  test('completed, PUT cancelled inside the late-cancel window → reversed and cancelled', async () => {
    const calls = await run({}, paymentInput(), async (h) => {
      await reachState(h, 'ready_to_complete');
      await h.executeUpdate(setStateUpdate, { args: ['completed'] });
      const p = await h.executeUpdate(setStateUpdate, { args: ['cancelled'] });
      expect(p.paymentstate.state).toBe('cancelled');
      await h.result();
      expect((await h.query(statusQuery)).reversal).toBe('done');
      // The money goes back only after the cancel is written: as an activity scheduled with the
      // update's acceptance, never a local attempt inside the register's (unwritten) task.
      const events = (await h.fetchHistory()).events ?? [];
      const reversals = events.flatMap((e, i) => (e.activityTaskScheduledEventAttributes?.activityType?.name === 'reversePayment' ? [i] : []));
      const accepted = events.flatMap((e, i) => (e.workflowExecutionUpdateAcceptedEventAttributes ? [i] : []));
      expect(reversals).toHaveLength(1);
      expect(reversals[0]).toBeGreaterThan(accepted.at(-1) ?? Infinity);
      expect(events.filter((e) => JSON.stringify(e.markerRecordedEventAttributes ?? {}).includes('reversePayment'))).toHaveLength(0);
    });
    expect(calls).toEqual(['startCollection', 'awaitCollection', 'confirmPayment', 'reversePayment']);
  });

  test('completed, PUT cancelled after the window → reversal-not-possible, stays completed', async () => {
    const input = paymentInput({ timers: { lateCancelWindowMs: 300, refundWindowMs: 60_000 } });
    const calls = await run({}, input, async (h) => {
      await reachState(h, 'ready_to_complete');
      await h.executeUpdate(setStateUpdate, { args: ['completed'] });
      await new Promise((r) => setTimeout(r, 800));
      expect(await rejection(h.executeUpdate(setStateUpdate, { args: ['cancelled'] }))).toBe('reversal-not-possible');
      expect(await stateOf(h)).toBe('completed');
      await h.terminate('test done');
    });
    expect(calls).not.toContain('reversePayment');
  });

  test('completed, PUT cancelled when the acquirer refuses late reversals (.54) → reversal-not-possible', async () => {
    const noLate = { ...APPROVED, lateReversalAllowed: false } as typeof APPROVED;
    await run({ outcomes: [noLate] }, paymentInput(), async (h) => {
      await reachState(h, 'ready_to_complete');
      await h.executeUpdate(setStateUpdate, { args: ['completed'] });
      expect(await rejection(h.executeUpdate(setStateUpdate, { args: ['cancelled'] }))).toBe('reversal-not-possible');
      await h.terminate('test done');
    });
  });
});

describe('payment workflow: timers and the customer', () => {
  test('the register never acknowledges: after ACK_TIMEOUT_MS the payment is reversed and cancelled', async () => {
    const calls = await run({}, paymentInput({ timers: { ackTimeoutMs: 1_000 } }), async (h) => {
      await reachState(h, 'ready_to_complete');
      const final = await h.result();
      expect(final.paymentstate).toMatchObject({ state: 'cancelled', message: TEXT.cancelledAndReversed });
    });
    expect(calls.filter((c) => c === 'reversePayment')).toHaveLength(1);
  });

  test('the customer never approves: after PAYMENT_EXPIRY_MS the request is cancelled, nothing charged', async () => {
    const calls = await run({ outcomes: ['never'] }, paymentInput({ timers: { expiryMs: 1_000 } }), async (h) => {
      const final = await h.result();
      expect(final.paymentstate).toMatchObject({ state: 'cancelled', message: TEXT.expired, qrcode: null });
    });
    expect(calls).toContain('cancelCollection');
    expect(calls).not.toContain('reversePayment');
  });

  test('the acquirer is down from the start: the payment still expires on time, nothing charged', async () => {
    const calls = await run({ start: 'down' }, paymentInput({ timers: { expiryMs: 1_500 } }), async (h) => {
      const final = await h.result();
      expect(final.paymentstate).toMatchObject({ state: 'cancelled', message: TEXT.expired });
    });
    expect(calls).toContain('cancelCollection');
    expect(calls).not.toContain('reversePayment');
  });

  test('the customer approves just as the payment expires: ready_to_complete, not lost', async () => {
    await run({ outcomes: ['never'], cancel: APPROVED }, paymentInput({ timers: { expiryMs: 800 } }), async (h) => {
      await reachState(h, 'ready_to_complete');
      await h.executeUpdate(setStateUpdate, { args: ['completed'] });
      await h.terminate('test done');
    });
  });

  test('the customer declines → cancelled with the decline message, nothing to reverse', async () => {
    const calls = await run({ outcomes: [{ status: 'declined', message: TEXT.declined }] }, paymentInput(), async (h) => {
      const final = await h.result();
      expect(final.paymentstate).toMatchObject({ state: 'cancelled', message: TEXT.declined });
    });
    expect(calls).not.toContain('reversePayment');
  });

  test('card prompts appear as the message while they are current', async () => {
    const prompt = (m: string) => ({ status: 'pending', message: m, qrcode: null, acquirerId: null }) as const;
    await run(
      { start: prompt('Present card'), outcomes: [prompt('Enter PIN'), prompt('Authorising'), 'never'] },
      paymentInput({ method: 'card' }),
      async (h) => {
        await eventually(() => h.query(paymentQuery), (p) => p.paymentstate.message === 'Authorising');
        expect((await h.query(paymentQuery)).paymentstate.qrcode).toBeNull();
        await h.executeUpdate(setStateUpdate, { args: ['cancelled'] });
        await h.result();
      },
    );
  });

  test('an acquirer callback makes the waiting poll look again at once', async () => {
    const calls = await run({ outcomes: ['never', APPROVED] }, paymentInput(), async (h) => {
      await eventually(() => h.query(paymentQuery), (p) => p.paymentstate.qrcode !== null);
      await h.signal(acquirerChangedSignal);
      await reachState(h, 'ready_to_complete');
      await h.executeUpdate(setStateUpdate, { args: ['cancelled'] });
      await h.result();
    });
    expect(calls.filter((c) => c === 'awaitCollection')).toHaveLength(2);
  });

  test('a reversal that fails transiently is retried until it goes through', async () => {
    const calls = await run({ reverseFailures: 2 }, paymentInput({ timers: { ackTimeoutMs: 300 } }), async (h) => {
      await h.result();
      expect((await h.query(statusQuery)).reversal).toBe('done');
    });
    expect(calls.filter((c) => c === 'reversePayment')).toHaveLength(3);
  });

  test('a reversal the acquirer refuses is marked failed for operators (ReversalState=failed)', async () => {
    await run({ reverse: 'refuse' }, paymentInput({ timers: { ackTimeoutMs: 300 } }), async (h) => {
      await h.result();
      expect((await h.query(statusQuery)).reversal).toBe('failed');
      const described = await h.describe();
      expect(described.typedSearchAttributes.get(SA.ReversalState)).toBe('failed');
    });
  });

  test('an operator cancels the workflow in ready_to_complete → the money is reversed', async () => {
    const calls = await run({}, paymentInput(), async (h) => {
      await reachState(h, 'ready_to_complete');
      await h.cancel();
      const final = await h.result();
      expect(final.paymentstate.state).toBe('cancelled');
    });
    expect(calls).toContain('reversePayment');
  });

  test('search attributes follow the payment: state and reversal', async () => {
    await run({}, paymentInput(), async (h) => {
      await reachState(h, 'ready_to_complete');
      const d = await eventually(() => h.describe(), (v) => v.typedSearchAttributes.get(SA.PaymentState) === 'ready_to_complete');
      expect(d.typedSearchAttributes.get(SA.ReversalState)).toBe('none');
      await h.executeUpdate(setStateUpdate, { args: ['cancelled'] });
      await h.result();
      const closed = await h.describe();
      expect(closed.typedSearchAttributes.get(SA.PaymentState)).toBe('cancelled');
      expect(closed.typedSearchAttributes.get(SA.ReversalState)).toBe('done');
      expect((closed.memo as { payment: { paymentstate: { state: string } } }).payment.paymentstate.state).toBe('cancelled');
    });
  });
});

describe('payment workflow: short calls run locally, a slow acquirer as activities', () => {
  test('every acquirer call takes 2 s (.55): each falls back from its local attempt to an activity; PUTs answer within 1 s; completed', async () => {
    const calls = await run({ slowMs: 2_000 }, paymentInput(), async (h, seen) => {
      await reachState(h, 'ready_to_complete');
      const t0 = Date.now();
      const done = await h.executeUpdate(setStateUpdate, { args: ['completed'] });
      expect(Date.now() - t0).toBeLessThan(1_000);
      expect(done.paymentstate.state).toBe('completed');
      await eventually(() => Promise.resolve(seen.filter((c) => c === 'confirmPayment').length), (n) => n === 2);
      const history = await h.fetchHistory();
      const scheduled = (history.events ?? []).flatMap((e) => e.activityTaskScheduledEventAttributes?.activityType?.name ?? []);
      expect(scheduled).toEqual(['startCollection', 'awaitCollection', 'confirmPayment']);
      await h.terminate('test done');
    });
    // The local attempt and the activity, each once: the acquirer's key makes them one operation.
    expect(calls).toEqual(['startCollection', 'startCollection', 'awaitCollection', 'confirmPayment', 'confirmPayment']);
  });

  test('a slow acquirer and PUT cancelled at ready_to_complete: answered within 1 s, the reversal still done', async () => {
    const calls = await run({ slowMs: 2_000 }, paymentInput(), async (h) => {
      await reachState(h, 'ready_to_complete');
      const t0 = Date.now();
      expect((await h.executeUpdate(setStateUpdate, { args: ['cancelled'] })).paymentstate.state).toBe('cancelled');
      expect(Date.now() - t0).toBeLessThan(1_000);
      expect((await h.describe()).typedSearchAttributes.get(SA.ReversalState)).toBe('pending');
      await h.result();
      expect((await h.query(statusQuery)).reversal).toBe('done');
    });
    expect(calls.filter((c) => c === 'reversePayment')).toHaveLength(2);
  });
});

describe('payment workflow: refunds', () => {
  const refundOf = (saleId: string, amount: string) =>
    paymentInput({ kind: 'refund', amountMinor: -Math.round(Number(amount) * 100), request: { amount: `-${amount}`, creditpaymentid: saleId } as never });

  test('a sale admits refunds up to its amount, counting those in flight; over-refund is refused', async () => {
    const sale = paymentInput({ request: { amount: '100.00' } as never });
    await run({}, sale, async (h) => {
      await reachState(h, 'ready_to_complete');
      await h.executeUpdate(setStateUpdate, { args: ['completed'] });
      const reserve = (id: string, amountMinor: number) =>
        h.executeUpdate(reserveRefundUpdate, { args: [{ refundPaymentId: id, merchant: 'demo', currencycode: 'SEK', amountMinor }] });
      expect((await reserve('r1', 6000)).remainingMinor).toBe(4000);
      expect(await rejection(reserve('r2', 4001))).toBe('refund-exceeds-original');
      expect((await reserve('r1', 6000)).remainingMinor).toBe(4000); // a retried reservation
      expect(await rejection(h.executeUpdate(reserveRefundUpdate, { args: [{ refundPaymentId: 'r3', merchant: 'other', currencycode: 'SEK', amountMinor: 1 }] }))).toBe('field-validation');
      expect(await rejection(h.executeUpdate(reserveRefundUpdate, { args: [{ refundPaymentId: 'r4', merchant: 'demo', currencycode: 'EUR', amountMinor: 1 }] }))).toBe('field-validation');
      // With a refund against it, the sale can no longer be reversed by a late cancel.
      expect(await rejection(h.executeUpdate(setStateUpdate, { args: ['cancelled'] }))).toBe('reversal-not-possible');
      await h.terminate('test done');
    });
  });

  test('a linked refund is admitted, pays out, and settles on the sale once completed', async () => {
    const calls = await run({}, refundOf('sale-1', '50.00'), async (h) => {
      expect(await h.executeUpdate(refundReservationUpdate)).toEqual({ admitted: true });
      await reachState(h, 'ready_to_complete');
      await h.executeUpdate(setStateUpdate, { args: ['completed'] });
      await h.cancel(); // end the late-cancel wait; a completed refund stays completed
      expect((await h.result()).paymentstate.state).toBe('completed');
    });
    expect(calls).toEqual(['reserveRefund', 'startCollection', 'awaitCollection', 'confirmPayment', 'finishRefund:settled']);
  });

  test('a refund over the original is refused at admission and never pays out', async () => {
    // Asked in the start, as the API's POST does: the refused refund closes in its first workflow task.
    const calls: string[] = [];
    const input = refundOf('sale-1', '500.00');
    await withWorker(env, scriptedActivities({ reserve: 'exceeds' }, calls), async (taskQueue) => {
      const startWorkflowOperation = new WithStartWorkflowOperation(paymentWorkflow, {
        workflowId: paymentWorkflowId(input.paymentid),
        taskQueue,
        args: [input],
        workflowIdConflictPolicy: 'FAIL',
      });
      const reservation = await env.client.workflow.executeUpdateWithStart(refundReservationUpdate, { startWorkflowOperation });
      expect(reservation).toMatchObject({ admitted: false, code: 'refund-exceeds-original' });
      const h = await startWorkflowOperation.workflowHandle();
      expect((await h.result()).paymentstate.state).toBe('cancelled');
      await recordHistory(h);
    });
    expect(calls).toEqual(['reserveRefund']);
  });

  test('a refund the register never acknowledges is reversed and released on the sale', async () => {
    const calls = await run({}, { ...refundOf('sale-1', '50.00'), timers: { ...refundOf('x', '1').timers, ackTimeoutMs: 300 } }, async (h) => {
      expect((await h.result()).paymentstate.state).toBe('cancelled');
    });
    expect(calls).toEqual(['reserveRefund', 'startCollection', 'awaitCollection', 'reversePayment', 'finishRefund:released']);
  });
});

describe('payment workflow: the view it pushes to the API', () => {
  test('every change goes out once, versions rising from 1, each equal to what the query answered then; the last one is the final state', async () => {
    const views: VersionedView[] = [];
    const input = paymentInput({ timers: { lateCancelWindowMs: 300, refundWindowMs: 300 } });
    await run(
      { outcomes: [APPROVED] },
      input,
      async (h) => {
        const ready = await eventually(() => h.query(viewQuery), (v) => v.payment.paymentstate.state === 'ready_to_complete');
        // The query and the push of the same version say the same thing.
        expect(views.find((v) => v.version === ready.version)).toEqual(ready);
        await h.executeUpdate(setStateUpdate, { args: ['completed'] });
        await h.result();
      },
      views,
    );
    expect(views.map((v) => v.version)).toEqual(views.map((_, i) => i + 1));
    expect(views.every((v) => v.paymentid === input.paymentid)).toBe(true);
    const states = views.map((v) => v.payment.paymentstate.state);
    expect(states.filter((s, i) => s !== states[i - 1])).toEqual(['inprogress', 'ready_to_complete', 'completed']);
    // The first push is the view the API starts from at version 0.
    expect(views[0]!.payment).toEqual(initialPaymentView(input));
  });

  test('search attributes are written only when the state or reversal changes (the start already set inprogress/none)', async () => {
    await run({ outcomes: [APPROVED] }, paymentInput({ timers: { lateCancelWindowMs: 300, refundWindowMs: 300 } }), async (h) => {
      await reachState(h, 'ready_to_complete');
      await h.executeUpdate(setStateUpdate, { args: ['completed'] });
      await h.result();
      const history = await h.fetchHistory();
      const upserts = (history.events ?? []).filter((e) => e.upsertWorkflowSearchAttributesEventAttributes).length;
      // ready_to_complete, completed: not the first publish, nor the pending message with its QR code.
      expect(upserts).toBe(2);
    });
  });
});

describe('payment workflow: a provider that pushes its events', () => {
  /** The fallback read far off unless a test wants it. */
  const pushing = (fallbackReadMs = 60_000): Script['events'] => ({ fallbackReadMs });
  const showsQr = (h: Awaited<ReturnType<typeof startPayment>>) => eventually(() => h.query(paymentQuery), (p) => p.paymentstate.qrcode !== null);

  test('its event → one read, approved → ready_to_complete; nothing long-polls', async () => {
    const calls = await run({ events: pushing(), outcomes: [APPROVED] }, paymentInput({ timers: { lateCancelWindowMs: 300, refundWindowMs: 300 } }), async (h) => {
      await showsQr(h);
      await h.signal(acquirerChangedSignal);
      await reachState(h, 'ready_to_complete');
      await h.executeUpdate(setStateUpdate, { args: ['completed'] });
      expect((await h.result()).paymentstate.state).toBe('completed');
    });
    expect(calls).toEqual(['startCollection', 'readCollection', 'confirmPayment']);
  });

  test('an event with nothing new → the read finds the same prompt; the next event → approved', async () => {
    const calls = await run({ events: pushing(), outcomes: ['never', APPROVED] }, paymentInput(), async (h) => {
      await showsQr(h);
      await h.signal(acquirerChangedSignal);
      await eventually(async () => (await h.fetchHistory()).events ?? [], (events) => events.filter((e) => e.markerRecordedEventAttributes).length >= 2);
      expect(await stateOf(h)).toBe('inprogress');
      await h.signal(acquirerChangedSignal);
      await reachState(h, 'ready_to_complete');
      await h.executeUpdate(setStateUpdate, { args: ['cancelled'] });
      await h.result();
    });
    expect(calls.filter((c) => c === 'readCollection')).toHaveLength(2);
    expect(calls).toContain('reversePayment');
    expect(calls).not.toContain('awaitCollection');
  });

  test('its events never come → read every fallbackReadMs until approved', async () => {
    const calls = await run({ events: pushing(200), outcomes: ['never', 'never', APPROVED] }, paymentInput(), async (h) => {
      await reachState(h, 'ready_to_complete');
      await h.executeUpdate(setStateUpdate, { args: ['completed'] });
      await h.terminate('test done');
    });
    expect(calls.filter((c) => c === 'readCollection')).toHaveLength(3);
  });

  test('PUT cancelled while it waits → cancelled at once, the request stopped, nothing read or charged', async () => {
    const calls = await run({ events: pushing(), outcomes: ['never'] }, paymentInput(), async (h) => {
      await showsQr(h);
      const view = await h.executeUpdate(setStateUpdate, { args: ['cancelled'] });
      expect(view.paymentstate.state).toBe('cancelled');
      expect((await h.result()).paymentstate).toMatchObject({ state: 'cancelled', message: TEXT.cancelledByRegister });
    });
    expect(calls).toEqual(['startCollection', 'cancelCollection']);
  });

  test('the customer never approves → cancelled at PAYMENT_EXPIRY_MS, between two fallback reads', async () => {
    const began = Date.now();
    const calls = await run({ events: pushing(60_000), outcomes: ['never'] }, paymentInput({ timers: { expiryMs: 1_000 } }), async (h) => {
      expect((await h.result()).paymentstate).toMatchObject({ state: 'cancelled', message: TEXT.expired, qrcode: null });
    });
    expect(Date.now() - began).toBeLessThan(5_000);
    expect(calls).toEqual(['startCollection', 'cancelCollection']);
  });

  test('the expiry’s stop finds the customer approved meanwhile → ready_to_complete, not lost', async () => {
    await run({ events: pushing(), outcomes: ['never'], cancel: APPROVED }, paymentInput({ timers: { expiryMs: 800 } }), async (h) => {
      await reachState(h, 'ready_to_complete');
      await h.executeUpdate(setStateUpdate, { args: ['completed'] });
      await h.terminate('test done');
    });
  });

  test('a read slower than its local attempt goes on as an activity; the payment still expires on time, nothing charged', async () => {
    const calls = await run({ events: pushing(100), outcomes: ['never'], slowMs: 600 }, paymentInput({ timers: { expiryMs: 2_500 } }), async (h) => {
      expect((await h.result()).paymentstate).toMatchObject({ state: 'cancelled', message: TEXT.expired });
      const history = await h.fetchHistory();
      expect((history.events ?? []).some((e) => e.activityTaskScheduledEventAttributes?.activityType?.name === 'readCollection')).toBe(true);
    });
    expect(calls).toContain('cancelCollection');
    expect(calls).not.toContain('reversePayment');
  });
});
