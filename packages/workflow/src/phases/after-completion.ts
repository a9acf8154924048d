import { condition, patched } from '@temporalio/workflow';
import { refundTotal } from '../refunds';
import { reverse } from './reverse';
import type { PaymentRun } from './run';
import { shortCall } from './steps';

/** The patch that moved a late cancel's reversal out of the register's workflow task (reverse.ts). */
export const LATE_CANCEL_RECORDED_FIRST = 'late-cancel-reversal-recorded-first';

/** Completed: tell the acquirer, accept a late cancel inside its window, and refunds while they may come. */
export async function afterCompletion(run: PaymentRun): Promise<void> {
  const { input } = run;
  const acquirerId = run.record.acquirerId;
  if (acquirerId !== null) await shortCall('confirmPayment', { input, acquirerId }, { summary: 'Tell the acquirer the register completed' });
  // One timer for both windows: a cancel is accepted only inside the late-cancel window (the
  // update's validator checks the time), so waiting on to the end of a sale's refund window
  // cannot let a late cancel in; it only saves a second timer and the workflow task it wakes.
  const since = run.record.completedAt ?? Date.now();
  const windowMs = input.kind === 'sale' ? Math.max(input.timers.lateCancelWindowMs, input.timers.refundWindowMs) : input.timers.lateCancelWindowMs;
  const left = since + windowMs - Date.now();
  if (left > 0) {
    await condition(() => run.record.state === 'cancelled', left, { summary: input.kind === 'sale' ? 'late-cancel and refund windows' : 'late-cancel window' });
  }
  if (run.record.state === 'cancelled') {
    // Payments that passed here on an earlier build reversed with a local attempt; they replay as they ran.
    await reverse(run, 'cancelled by the register after completion', { recordedFirst: patched(LATE_CANCEL_RECORDED_FIRST) });
    return;
  }
  // Refunds still in flight settle or release before the sale's workflow ends.
  if (input.kind === 'sale') await condition(() => refundTotal(run.refunds, false) === 0);
}
