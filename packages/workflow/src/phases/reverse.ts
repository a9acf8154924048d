import { CancellationScope, log } from '@temporalio/workflow';
import { FAILURE, refusalOf } from '../failures';
import { owesReversal } from '../state';
import { TEXT } from '../texts';
import type { PaymentRun } from './run';
import { labelled, REVERSAL, shortCall } from './steps';

/**
 * Gives back money that moved; runs even while the workflow itself is being cancelled.
 *
 * `recordedFirst`: the reversal runs as a normal activity, which the server dispatches only
 * once the workflow task that decided it is written, never as a local attempt inside that task.
 * For a late cancel: the register's update runs in a workflow task that is not written until
 * it completes, and if the server is lost before that (a restart), so is the update, while a
 * local attempt inside it would already have given the money back. The register's retry may
 * then come after the late-cancel window and be told 409 "stays completed", about a payment
 * whose money went back. (A cancel at ready_to_complete or a silent register's reversal is safe
 * as a local attempt: the retry, or the timer, asks again for the same reversal.)
 */
export async function reverse(run: PaymentRun, reason: string, { recordedFirst = false }: { recordedFirst?: boolean } = {}): Promise<void> {
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
      const args = { input, acquirerId, reason };
      const summary = `Reverse ${money}: ${reason}`;
      if (recordedFirst) {
        run.search();
        await labelled(REVERSAL, summary).reversePayment(args);
      } else {
        await shortCall('reversePayment', args, { summary, fallback: REVERSAL, beforeFallback: () => run.search() });
      }
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
