import { CancellationScope, log } from '@temporalio/workflow';
import { FAILURE, refusalOf } from '../failures';
import { owesReversal } from '../state';
import { TEXT } from '../texts';
import type { PaymentRun } from './run';
import { REVERSAL, shortCall } from './steps';

/** Gives back money that moved; runs even while the workflow itself is being cancelled. */
export async function reverse(run: PaymentRun, reason: string): Promise<void> {
  const { input, money } = run;
  const acquirerId = run.record.acquirerId;
  if (!owesReversal(run.record) || acquirerId === null) {
    run.search();
    return;
  }
  // Operators see 'pending' only if the reversal outlives this workflow task (the local
  // attempt failed and the activity retries it); a reversal done at once is written once, done.
  run.change({ ...run.record, reversal: 'pending' }, { deferSearch: true });
  await CancellationScope.nonCancellable(async () => {
    try {
      await shortCall(
        'reversePayment',
        { input, acquirerId, reason },
        { summary: `Reverse ${money}: ${reason}`, fallback: REVERSAL, beforeFallback: () => run.search() },
      );
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
