import { CancellationScope, log } from '@temporalio/workflow';
import { FAILURE, refusalOf } from '../failures';
import { owesReversal } from '../state';
import { TEXT } from '../texts';
import type { PaymentRun } from './run';
import { labelled, REVERSAL } from './steps';

/** Gives back money that moved; runs even while the workflow itself is being cancelled. */
export async function reverse(run: PaymentRun, reason: string): Promise<void> {
  const { input, money } = run;
  const acquirerId = run.record.acquirerId;
  if (!owesReversal(run.record) || acquirerId === null) return;
  run.change({ ...run.record, reversal: 'pending' });
  await CancellationScope.nonCancellable(async () => {
    try {
      await labelled(REVERSAL, `Reverse ${money}: ${reason}`).reversePayment({ input, acquirerId, reason });
      run.record = { ...run.record, reversal: 'done', message: TEXT.cancelledAndReversed };
      run.reversalsEnded.add(1, { outcome: 'done', kind: input.kind });
    } catch (err) {
      const refused = refusalOf(err, [FAILURE.reversalRefused]);
      if (!refused) throw err;
      run.record = { ...run.record, reversal: 'failed' };
      run.reversalsEnded.add(1, { outcome: 'failed', kind: input.kind });
      log.error('The acquirer refused a reversal: a person must look at this payment', { reason: refused.message });
    }
  });
  run.change(run.record);
}
