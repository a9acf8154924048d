import { condition, sleep } from '@temporalio/workflow';
import { refundTotal } from '../refunds';
import { reverse } from './reverse';
import type { PaymentRun } from './run';
import { CALL, labelled } from './steps';

/** Completed: tell the acquirer, accept a late cancel inside its window, and refunds while they may come. */
export async function afterCompletion(run: PaymentRun): Promise<void> {
  const { input } = run;
  const acquirerId = run.record.acquirerId;
  if (acquirerId !== null) await labelled(CALL, 'Tell the acquirer the register completed').confirmPayment({ input, acquirerId });
  const since = run.record.completedAt ?? Date.now();
  const lateLeft = since + input.timers.lateCancelWindowMs - Date.now();
  if (lateLeft > 0) {
    await condition(() => run.record.state === 'cancelled', lateLeft, { summary: 'late-cancel window' });
  }
  if (run.record.state === 'cancelled') {
    await reverse(run, 'cancelled by the register after completion');
    return;
  }
  if (input.kind === 'sale') {
    const refundLeft = since + input.timers.refundWindowMs - Date.now();
    if (refundLeft > 0) await sleep(refundLeft, { summary: 'refund window' });
    await condition(() => refundTotal(run.refunds, false) === 0);
  }
}
