import {
  type ActivityOptions,
  ActivityFailure,
  ApplicationFailure,
  CancellationScope,
  condition,
  isCancellation,
  log,
  metricMeter,
  proxyActivities,
  proxySinks,
  setCurrentDetails,
  setHandler,
  sleep,
  upsertMemo,
  upsertSearchAttributes,
} from '@temporalio/workflow';
import type { Payment, PaymentStateName, TargetState } from '@payments/contract';
// The money helpers alone: the schemas (TypeBox) have no place in the workflow sandbox.
import { formatMinor } from '@payments/contract/money';
import type { PaymentActivities } from './activities';
import {
  acquirerChangedSignal,
  admissionUpdate,
  paymentQuery,
  refundFinishedSignal,
  reserveRefundUpdate,
  setStateUpdate,
  statusQuery,
  viewQuery,
} from './messages';
import { SA } from './search-attributes';
import { START_NOT_CONFIRMED, startGate } from './start-gate';
import { TEXT } from './texts';
import type { Admission, CollectUpdate, PaymentInput, ReserveRefundRequest, ReversalState } from './types';
import { paymentView, type VersionedView } from './view';
import type { PaymentViewSinks } from './view-sink';

/** Error types an activity throws that no retry can change. */
export const NON_RETRYABLE = ['reversal-refused', 'refund-exceeds-original', 'field-validation'] as const;

/** Short calls to the acquirer or terminal: each attempt bounded (a slow acquirer answers in 5 s). */
const CALL: ActivityOptions = {
  startToCloseTimeout: '20s',
  retry: { initialInterval: '500ms', backoffCoefficient: 2, maximumInterval: '10s', nonRetryableErrorTypes: [...NON_RETRYABLE] },
};

/** Long-polls for the customer: heartbeats tell a dead worker apart from a slow customer. */
const WAIT: ActivityOptions = {
  startToCloseTimeout: '30m',
  heartbeatTimeout: '10s',
  retry: { initialInterval: '500ms', backoffCoefficient: 2, maximumInterval: '10s' },
};

/**
 * Money going back: retried without limit until the acquirer takes it (or refuses it for good),
 * so a reversal survives an acquirer that is down for hours and any restart of ours.
 */
const REVERSAL: ActivityOptions = {
  startToCloseTimeout: '20s',
  retry: { initialInterval: '1s', backoffCoefficient: 2, maximumInterval: '1m', nonRetryableErrorTypes: ['reversal-refused'] },
};

/** The activities with a label, shown on each step of the payment's timeline in Temporal Web. */
const step = (options: ActivityOptions, summary: string) => proxyActivities<PaymentActivities>({ ...options, summary });

/** Each change of the view goes to the API's copy at once, so a poll is answered without a query. */
const { paymentViews } = proxySinks<PaymentViewSinks>();

/**
 * One payment, sale or refund, from POST to its last possible reversal.
 *
 *   inprogress ──approved──▶ ready_to_complete ──PUT completed──▶ completed
 *       │                        │   (no PUT within ackTimeout: reverse)   │ PUT cancelled in the
 *       └──declined / expired / PUT cancelled──▶ cancelled ◀── reverse ────┘ late-cancel window
 *
 * The register's view goes to the API at every change (the `paymentViews` sink, versioned), and
 * can always be read through `viewQuery` / `paymentQuery`; the register changes the state
 * through `setStateUpdate`, whose validator refuses invalid transitions without writing history. Whenever money has moved
 * and the payment ends cancelled, the reversal runs in a non-cancellable scope with unlimited
 * retries: a payment is never left charged.
 */
export async function paymentWorkflow(input: PaymentInput): Promise<Payment> {
  const { request, timers } = input;
  const isRefund = input.kind === 'refund';
  const money = `${formatMinor(input.amountMinor, request.currencycode)} ${request.currencycode}`;
  const linkedSale = isRefund ? request.creditpaymentid : null;
  // Business metrics, exported with the SDK's own on the worker's metrics endpoint (the SDK
  // does not emit them again on replay). Created here: the meter exists only in a workflow.
  const paymentsEnded = metricMeter.createCounter('payments_final_state_total', 'payments', 'Payments reaching completed or cancelled');
  const reversalsEnded = metricMeter.createCounter('payment_reversals_total', 'reversals', 'Reversals by outcome');

  let state = 'inprogress' as PaymentStateName; // 'as': handlers change it between awaits
  let message: string = isRefund ? TEXT.refundStarting : TEXT.starting;
  let qrcode: string | null = null;
  let receiptrow = '';
  let receiptsection: string[] = [];
  let acquirerId: string | null = null;
  let moneyMoved = false;
  let lateReversalAllowed = false;
  let reversal: ReversalState = 'none';
  let registerCancelled = false;
  let completedAt: number | null = null;
  /** Callbacks from the acquirer: each one makes a waiting poll look again at once. */
  let acquirerNudges = 0;
  let admission: Admission | null = linkedSale ? null : { admitted: true };
  /** Refunds crediting this sale: reserved while in flight, settled once paid out. */
  const refunds = new Map<string, { amountMinor: number; settled: boolean }>();

  const view = (): Payment => paymentView(input, { state, message, qrcode, receiptrow, receiptsection });
  /** Counts the changes of the view; the API's copy starts at version 0 (initialPaymentView). */
  let viewVersion = 0;
  const versionedView = (): VersionedView => ({ paymentid: input.paymentid, version: viewVersion, payment: view() });
  /** What the search attributes were last set to (the start sets inprogress/none). */
  let searchable = 'inprogress/none';

  const sumRefunds = (settled: boolean) =>
    [...refunds.values()].filter((r) => r.settled === settled).reduce((sum, r) => sum + r.amountMinor, 0);

  /**
   * Keeps what the register and operators see in step with the payment: the API's copy of the
   * view, the search attributes (written only when they change: each write costs the server a
   * visibility update), and the details Temporal Web shows.
   */
  const publish = () => {
    viewVersion++;
    paymentViews.changed(versionedView());
    const now = `${state}/${reversal}`;
    if (now !== searchable) {
      searchable = now;
      upsertSearchAttributes([
        { key: SA.PaymentState, value: state },
        { key: SA.ReversalState, value: reversal },
      ]);
    }
    setCurrentDetails(
      [`**${state}** · ${input.kind} ${money} · ${input.method}`, `reversal: ${reversal}`, `message: ${message}`].join('\n\n'),
    );
  };

  const setState = (next: PaymentStateName, text: string) => {
    // Counted as the payment reaches each outcome (a sale's workflow stays open long after it
    // completes); a late-cancelled sale counts once as completed, then once as cancelled.
    if (next !== state && (next === 'completed' || next === 'cancelled')) {
      paymentsEnded.add(1, { state: next, kind: input.kind, method: input.method });
    }
    state = next;
    message = text;
    if (next !== 'inprogress') qrcode = null;
    publish();
  };

  /** Why a cancel of a completed payment cannot reverse it, or null when it can. */
  const lateCancelRefusal = (): string | null => {
    if (!moneyMoved || !lateReversalAllowed) return 'the acquirer does not reverse a completed payment';
    if (completedAt === null || Date.now() - completedAt > timers.lateCancelWindowMs) return 'the late-cancel window has passed';
    if (refunds.size > 0) return 'refunds already credit this payment';
    return null;
  };

  // --- the register's calls -------------------------------------------------------------
  setHandler(paymentQuery, view);
  setHandler(viewQuery, versionedView);
  setHandler(statusQuery, () => ({
    state,
    reversal,
    acquirerId,
    refundedMinor: sumRefunds(true),
    reservedMinor: sumRefunds(false),
  }));

  setHandler(
    setStateUpdate,
    (target: TargetState) => {
      if (target === state) return view();
      if (target === 'completed') {
        setState('completed', isRefund ? TEXT.refundCompleted : TEXT.completed);
        completedAt = Date.now();
      } else {
        registerCancelled = true;
        // Money that moved is owed back from this moment: operators see the reversal pending
        // even while the workflow still waits on another step (a confirmation the acquirer is
        // down for, say) before it can start it.
        if (moneyMoved && reversal === 'none') reversal = 'pending';
        setState('cancelled', TEXT.cancelledByRegister);
      }
      return view();
    },
    {
      validator: (target: TargetState) => {
        const refuse = (code: 'invalid-state' | 'reversal-not-possible', why: string): never => {
          throw ApplicationFailure.nonRetryable(why, code);
        };
        switch (state) {
          case 'inprogress':
            if (target === 'completed') refuse('invalid-state', 'the payment is still in progress');
            return;
          case 'ready_to_complete':
            return;
          case 'completed': {
            const why = target === 'cancelled' ? lateCancelRefusal() : null;
            if (why) refuse('reversal-not-possible', why);
            return;
          }
          case 'cancelled':
            if (target === 'completed') refuse('invalid-state', 'the payment is cancelled');
            return;
        }
      },
    },
  );

  setHandler(admissionUpdate, async () => {
    await condition(() => admission !== null);
    return admission as Admission;
  });

  // --- refunds that credit this sale -----------------------------------------------------
  const refundWindowOpen = () =>
    state === 'completed' && completedAt !== null && Date.now() - completedAt <= timers.refundWindowMs;

  setHandler(
    reserveRefundUpdate,
    (req: ReserveRefundRequest) => {
      if (!refunds.has(req.refundPaymentId)) refunds.set(req.refundPaymentId, { amountMinor: req.amountMinor, settled: false });
      return { remainingMinor: input.amountMinor - sumRefunds(true) - sumRefunds(false) };
    },
    {
      validator: (req: ReserveRefundRequest) => {
        const existing = refunds.get(req.refundPaymentId);
        if (existing) {
          if (existing.amountMinor === req.amountMinor) return; // a retried reservation
          throw ApplicationFailure.nonRetryable('this refund already reserved another amount', 'field-validation');
        }
        // Another merchant's sale reads exactly like one that is not (or no longer) refundable.
        if (input.kind !== 'sale' || req.merchant !== input.merchant || !refundWindowOpen()) {
          throw ApplicationFailure.nonRetryable('creditpaymentid does not refer to a refundable sale', 'field-validation');
        }
        if (req.currencycode !== request.currencycode) {
          throw ApplicationFailure.nonRetryable(`the sale was paid in ${request.currencycode}`, 'field-validation');
        }
        const remaining = input.amountMinor - sumRefunds(true) - sumRefunds(false);
        if (req.amountMinor > remaining) {
          throw ApplicationFailure.nonRetryable(
            `refunds would exceed the original: ${formatMinor(remaining, request.currencycode)} remains`,
            'refund-exceeds-original',
          );
        }
      },
    },
  );

  setHandler(acquirerChangedSignal, () => {
    acquirerNudges++;
  });

  setHandler(refundFinishedSignal, ({ refundPaymentId, outcome }) => {
    const entry = refunds.get(refundPaymentId);
    if (!entry) return;
    if (outcome === 'settled') entry.settled = true;
    else refunds.delete(refundPaymentId);
  });

  // --- the steps --------------------------------------------------------------------------
  const applyCollect = (update: CollectUpdate) => {
    switch (update.status) {
      case 'pending':
        acquirerId = update.acquirerId ?? acquirerId;
        if (state === 'inprogress') {
          message = update.message;
          qrcode = update.qrcode;
          publish();
        }
        return;
      case 'approved':
        acquirerId = update.acquirerId;
        moneyMoved = true;
        lateReversalAllowed = update.lateReversalAllowed;
        receiptrow = update.receiptrow;
        receiptsection = update.receiptsection;
        return;
      case 'declined':
        if (state === 'inprogress') setState('cancelled', update.message);
        return;
      case 'cancelled':
        if (state === 'inprogress') setState('cancelled', TEXT.cancelledAtTerminal);
        return;
    }
  };

  /** Gives back money that moved; runs even while the workflow itself is being cancelled. */
  const reverse = async (reason: string) => {
    if (!moneyMoved || acquirerId === null || reversal === 'done') return;
    const id = acquirerId;
    reversal = 'pending';
    publish();
    await CancellationScope.nonCancellable(async () => {
      try {
        await step(REVERSAL, `Reverse ${money}: ${reason}`).reversePayment({ input, acquirerId: id, reason });
        reversal = 'done';
        message = TEXT.cancelledAndReversed;
        reversalsEnded.add(1, { outcome: 'done', kind: input.kind });
      } catch (err) {
        if (err instanceof ActivityFailure && err.cause instanceof ApplicationFailure && err.cause.type === 'reversal-refused') {
          reversal = 'failed';
          reversalsEnded.add(1, { outcome: 'failed', kind: input.kind });
          log.error('The acquirer refused a reversal: a person must look at this payment', { reason: err.cause.message });
        } else {
          throw err;
        }
      }
    });
    publish();
  };

  /** Inprogress until the money moves, the customer declines, the payment expires or the register cancels. */
  const collectMoney = async () => {
    const expiresAt = Date.now() + timers.expiryMs;
    /**
     * One step of the collection, unless the register cancels or the payment expires first
     * (null). With `nudgeable`, an acquirer callback ends the step early ('again'): the poll
     * restarts at once instead of waiting out its backoff.
     */
    const untilCancelledOrExpired = async (
      step: () => Promise<CollectUpdate>,
      nudgeable = false,
    ): Promise<CollectUpdate | null | 'again'> => {
      const remaining = expiresAt - Date.now();
      if (remaining <= 0 || registerCancelled) return null;
      const seen = acquirerNudges;
      const work = new CancellationScope();
      const timer = new CancellationScope();
      const contenders: Promise<{ u: CollectUpdate | null | 'again' }>[] = [
        work.run(step).then((u) => ({ u })),
        timer.run(() => condition(() => registerCancelled, remaining)).then(() => ({ u: null })),
      ];
      if (nudgeable) contenders.push(condition(() => acquirerNudges !== seen).then(() => ({ u: 'again' as const })));
      const outcome = await Promise.race(contenders);
      if (outcome.u === null || outcome.u === 'again') work.cancel();
      if (outcome.u !== null) timer.cancel();
      return outcome.u;
    };
    let update = await untilCancelledOrExpired(() => step(CALL, `Start ${input.method} collection of ${money}`).startCollection(input));
    while (update !== null) {
      if (update !== 'again') {
        applyCollect(update);
        if (update.status !== 'pending' || registerCancelled) break;
      }
      const lastMessage = message;
      const id = acquirerId;
      update = await untilCancelledOrExpired(
        () => step(WAIT, `Wait for the customer (showing: ${lastMessage})`).awaitCollection({ input, acquirerId: id, lastMessage }),
        true,
      );
    }
    if (update === null || update.status === 'pending') {
      // Expired, or cancelled by the register, before the customer paid: stop the request at
      // the acquirer. It may answer that the money moved meanwhile: then the payment goes on
      // to ready_to_complete (expiry) or is reversed (the register's cancel).
      const expired = !registerCancelled;
      const final = await CancellationScope.nonCancellable(() =>
        step(CALL, expired ? 'Stop the expired request' : 'Stop the request: the register cancelled').cancelCollection({ input, acquirerId }),
      );
      if (final.status === 'approved') applyCollect(final);
      else if (state === 'inprogress') setState('cancelled', expired ? TEXT.expired : TEXT.cancelledByRegister);
    }
    if (moneyMoved) {
      if (state === 'inprogress') setState('ready_to_complete', isRefund ? TEXT.refundApproved : TEXT.approved);
      else if (state === 'cancelled') await reverse('cancelled by the register while being approved');
    }
  };

  /** Ready_to_complete until the register completes or cancels; silent for ackTimeoutMs: reverse. */
  const awaitRegister = async () => {
    const answered = await condition(() => state !== 'ready_to_complete', timers.ackTimeoutMs, {
      summary: 'register must complete within ACK_TIMEOUT_MS',
    });
    if (!answered) setState('cancelled', TEXT.notAcknowledged);
    if (state === 'cancelled') await reverse(answered ? 'cancelled by the register' : 'not acknowledged by the register');
  };

  /** Completed: tell the acquirer, accept a late cancel inside its window, and refunds while they may come. */
  const afterCompletion = async () => {
    if (acquirerId !== null) await step(CALL, 'Tell the acquirer the register completed').confirmPayment({ input, acquirerId });
    const since = completedAt ?? Date.now();
    const lateLeft = since + timers.lateCancelWindowMs - Date.now();
    if (lateLeft > 0) {
      await condition(() => state === 'cancelled', lateLeft, { summary: 'late-cancel window' });
    }
    if (state === 'cancelled') {
      await reverse('cancelled by the register after completion');
      return;
    }
    if (input.kind === 'sale') {
      const refundLeft = since + timers.refundWindowMs - Date.now();
      if (refundLeft > 0) await sleep(refundLeft, { summary: 'refund window' });
      await condition(() => sumRefunds(false) === 0);
    }
  };

  /** A refund that credits a sale first reserves its amount there, so refunds never exceed it. */
  const admit = async () => {
    if (!linkedSale) return;
    try {
      await step(CALL, `Reserve ${money} on sale ${linkedSale}`).reserveRefund({
        salePaymentId: linkedSale,
        request: {
          refundPaymentId: input.paymentid,
          merchant: input.merchant,
          currencycode: request.currencycode,
          amountMinor: Math.abs(input.amountMinor),
        },
      });
      admission = { admitted: true };
    } catch (err) {
      const cause = err instanceof ActivityFailure ? err.cause : undefined;
      if (!(cause instanceof ApplicationFailure)) throw err;
      const code = cause.type === 'refund-exceeds-original' ? 'refund-exceeds-original' : 'field-validation';
      admission = { admitted: false, code, message: cause.message };
      setState('cancelled', TEXT.refundRefused);
    }
  };

  /** An operator cancelled the workflow: stop like a register's cancel, and never leave money moved. */
  const stopOnCancellation = async () => {
    if (state === 'inprogress') {
      registerCancelled = true;
      setState('cancelled', TEXT.cancelledByRegister);
      applyCollect(await step(CALL, 'Stop the request: cancelled by an operator').cancelCollection({ input, acquirerId }));
    } else if (state === 'ready_to_complete') {
      setState('cancelled', TEXT.cancelledByRegister);
    }
    if (state === 'cancelled') await reverse('workflow cancelled by an operator');
  };

  // Issue 17: no acquirer or terminal call until the API confirms the register got the
  // paymentid, so a start whose POST was answered with an error moves no money (start-gate.ts).
  const registerAnswered = startGate(input.startConfirmation, () => registerCancelled);

  publish();
  try {
    await admit();
    if (admission?.admitted) {
      if (!(await registerAnswered())) {
        setState('cancelled', START_NOT_CONFIRMED);
      } else {
        await collectMoney();
        if (state === 'ready_to_complete') await awaitRegister();
        if (state === 'completed') await afterCompletion();
      }
    }
  } catch (err) {
    if (!isCancellation(err)) throw err;
    await CancellationScope.nonCancellable(stopOnCancellation);
  }

  if (linkedSale && admission?.admitted) {
    const outcome = state === 'completed' ? 'settled' : 'released';
    await CancellationScope.nonCancellable(() =>
      step(CALL, `Tell sale ${linkedSale} the refund is ${outcome}`).finishRefund({
        salePaymentId: linkedSale,
        outcome: { refundPaymentId: input.paymentid, outcome },
      }),
    );
  }
  // Kept on the closed workflow, so GET (and a retried refund POST) answer from describe() even
  // with no worker to replay it.
  upsertMemo({ payment: view(), reversal, admission });
  return view();
}
