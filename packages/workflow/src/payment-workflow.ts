import {
  CancellationScope,
  condition,
  isCancellation,
  metricMeter,
  proxySinks,
  setCurrentDetails,
  setHandler,
  upsertMemo,
  upsertSearchAttributes,
} from '@temporalio/workflow';
import type { Payment, TargetState } from '@payments/contract';
// The money helpers alone: the schemas (TypeBox) have no place in the workflow sandbox.
import { formatMinor } from '@payments/contract/money';
import { toApplicationFailure } from './failures';
import {
  acquirerChangedSignal,
  paymentQuery,
  refundFinishedSignal,
  refundReservationUpdate,
  reserveRefundUpdate,
  setStateUpdate,
  statusQuery,
  viewQuery,
} from './messages';
import { afterCompletion, awaitRegister, collectMoney, reserveOnSale, shortCall, stopOnCancellation, type PaymentRun } from './phases';
import { refundTotal, refundWindowOpen, remainingMinor, reservationRefusal, withRefundFinished, withReservation } from './refunds';
import { SA } from './search-attributes';
import { closingMemo } from './memo';
import { START_NOT_CONFIRMED, startGate } from './start-gate';
import { initialRecord, lateCancelRefusal, onRegister, registerView, transitionRefusal, withState, type PaymentRecord } from './state';
import type { PaymentInput, RefundReservation, ReserveRefundRequest } from './types';
import { paymentView, type VersionedView } from './view';
import type { PaymentViewSinks } from './view-sink';

export { NON_RETRYABLE } from './failures';

/** Each change of the view goes to the API's copy at once, so a poll is answered without a query. */
const { paymentViews } = proxySinks<PaymentViewSinks>();

/**
 * One payment, sale or refund, from POST to its last possible reversal.
 *
 *   inprogress ──approved──▶ ready_to_complete ──PUT completed──▶ completed
 *       │                        │   (no PUT within ackTimeout: reverse)   │ PUT cancelled in the
 *       └──declined / expired / PUT cancelled──▶ cancelled ◀── reverse ────┘ late-cancel window
 *
 * The decisions (which PUT is allowed, what a collection update means, which refund fits) are
 * pure functions in state.ts and refunds.ts; the phases in phases/ are the steps and timers;
 * this function wires the register's messages to them. The register's view goes to the API at
 * every change (the `paymentViews` sink, versioned); PUT is `setStateUpdate`, whose validator
 * refuses invalid transitions without writing history. Whenever money has moved and the payment
 * ends cancelled, the reversal runs in a non-cancellable scope with unlimited retries.
 */
export async function paymentWorkflow(input: PaymentInput): Promise<Payment> {
  const { request, timers } = input;
  const isRefund = input.kind === 'refund';
  // Business metrics, exported with the SDK's own on the worker's metrics endpoint (the SDK
  // does not emit them again on replay). Created here: the meter exists only in a workflow.
  const paymentsEnded = metricMeter.createCounter('payments_final_state_total', 'payments', 'Payments reaching completed or cancelled');
  const reversalsEnded = metricMeter.createCounter('payment_reversals_total', 'reversals', 'Reversals by outcome');

  /** Counts the changes of the view; the API's copy starts at version 0 (initialPaymentView). */
  let viewVersion = 0;
  /** What the search attributes were last set to (the start sets inprogress/none). */
  let searchable = 'inprogress/none';

  /**
   * Keeps what the register and operators see in step with the payment: the API's copy of the
   * view, the search attributes (written only when they change: each write costs the server a
   * visibility update), and the details Temporal Web shows.
   */
  const search = ({ state, reversal }: PaymentRecord) => {
    const now = `${state}/${reversal}`;
    if (now !== searchable) {
      searchable = now;
      upsertSearchAttributes([
        { key: SA.PaymentState, value: state },
        { key: SA.ReversalState, value: reversal },
      ]);
    }
  };
  const publish = (record: PaymentRecord, deferSearch = false) => {
    const { state, reversal, message } = record;
    viewVersion++;
    paymentViews.changed(versionedView());
    if (!deferSearch) search(record);
    setCurrentDetails([`**${state}** · ${input.kind} ${run.money} · ${input.method}`, `reversal: ${reversal}`, `message: ${message}`].join('\n\n'));
  };

  const run: PaymentRun = {
    input,
    money: `${formatMinor(input.amountMinor, request.currencycode)} ${request.currencycode}`,
    isRefund,
    linkedSale: isRefund ? request.creditpaymentid : null,
    record: initialRecord(input),
    refunds: new Map(),
    acquirerNudges: 0,
    reservation: isRefund && request.creditpaymentid ? null : { admitted: true },
    reversalsEnded,
    view: () => paymentView(input, registerView(run.record)),
    change(next, options) {
      // Counted as the payment reaches each outcome (a sale's workflow stays open long after it
      // completes); a late-cancelled sale counts once as completed, then once as cancelled.
      if (next.state !== run.record.state && (next.state === 'completed' || next.state === 'cancelled')) {
        paymentsEnded.add(1, { state: next.state, kind: input.kind, method: input.method });
      }
      run.record = next;
      publish(next, options?.deferSearch);
    },
    setState: (state, message, options) => run.change(withState(run.record, state, message), options),
    search: () => search(run.record),
  };
  const versionedView = (): VersionedView => ({ paymentid: input.paymentid, version: viewVersion, payment: run.view() });

  // --- the register's calls -------------------------------------------------------------
  setHandler(paymentQuery, run.view);
  setHandler(viewQuery, versionedView);
  setHandler(statusQuery, () => ({
    state: run.record.state,
    reversal: run.record.reversal,
    acquirerId: run.record.acquirerId,
    refundedMinor: refundTotal(run.refunds, true),
    reservedMinor: refundTotal(run.refunds, false),
  }));

  setHandler(
    setStateUpdate,
    (target: TargetState) => {
      const next = onRegister(run.record, target, { now: Date.now(), isRefund });
      if (next !== run.record) run.change(next);
      return run.view();
    },
    {
      validator: (target: TargetState) => {
        const refused = transitionRefusal(run.record.state, target, {
          closed: false,
          lateCancel: () => lateCancelRefusal(run.record, { now: Date.now(), timers, refundCount: run.refunds.size }),
        });
        if (refused) throw toApplicationFailure(refused);
      },
    },
  );

  setHandler(refundReservationUpdate, async () => {
    await condition(() => run.reservation !== null);
    return run.reservation as RefundReservation;
  });

  // --- refunds that credit this sale -----------------------------------------------------
  setHandler(
    reserveRefundUpdate,
    (req: ReserveRefundRequest) => {
      run.refunds = withReservation(run.refunds, req);
      return { remainingMinor: remainingMinor(input.amountMinor, run.refunds) };
    },
    {
      validator: (req: ReserveRefundRequest) => {
        const refundable =
          run.record.state === 'completed' && refundWindowOpen({ completedAt: run.record.completedAt, now: Date.now(), timers });
        const refused = reservationRefusal({ input, refundable, book: run.refunds }, req);
        if (refused) throw toApplicationFailure(refused);
      },
    },
  );

  setHandler(acquirerChangedSignal, () => {
    run.acquirerNudges++;
  });

  setHandler(refundFinishedSignal, (outcome) => {
    run.refunds = withRefundFinished(run.refunds, outcome);
  });

  // No acquirer or terminal call until the API confirms the register got the paymentid, so a
  // start whose POST was answered with an error moves no money (start-gate.ts). Installed
  // before the first await, so a confirmation in the first workflow task is not missed.
  const registerAnswered = startGate(input.startConfirmation, () => run.record.cancelRequested);

  // --- the steps --------------------------------------------------------------------------
  publish(run.record);
  try {
    await reserveOnSale(run);
    if (run.reservation?.admitted) {
      if (!(await registerAnswered())) {
        run.setState('cancelled', START_NOT_CONFIRMED);
      } else {
        await collectMoney(run);
        if (run.record.state === 'ready_to_complete') await awaitRegister(run);
        if (run.record.state === 'completed') await afterCompletion(run);
      }
    }
  } catch (err) {
    if (!isCancellation(err)) throw err;
    await CancellationScope.nonCancellable(() => stopOnCancellation(run));
  }

  const { linkedSale } = run;
  if (linkedSale && run.reservation?.admitted) {
    const outcome = run.record.state === 'completed' ? 'settled' : 'released';
    await CancellationScope.nonCancellable(() =>
      shortCall(
        'finishRefund',
        { salePaymentId: linkedSale, outcome: { refundPaymentId: input.paymentid, outcome } },
        { summary: `Tell sale ${linkedSale} the refund is ${outcome}` },
      ),
    );
  }
  // Kept on the closed workflow, so GET (and a retried refund POST) answer from describe() even
  // with no worker to replay it.
  upsertMemo(closingMemo(run.view(), run.record.reversal, run.reservation));
  return run.view();
}
