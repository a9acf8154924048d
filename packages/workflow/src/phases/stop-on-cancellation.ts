import { TEXT } from '../texts';
import { applyCollect } from './collect-money';
import { reverse } from './reverse';
import type { PaymentRun } from './run';
import { shortCall } from './steps';

/** An operator cancelled the workflow: stop like a register's cancel, and never leave money moved. */
export async function stopOnCancellation(run: PaymentRun): Promise<void> {
  const { input } = run;
  if (run.record.state === 'inprogress') {
    run.record = { ...run.record, cancelRequested: true };
    run.setState('cancelled', TEXT.cancelledByRegister);
    const acquirerId = run.record.acquirerId;
    applyCollect(run, await shortCall('cancelCollection', { input, acquirerId }, { summary: 'Stop the request: cancelled by an operator' }));
  } else if (run.record.state === 'ready_to_complete') {
    run.setState('cancelled', TEXT.cancelledByRegister);
  }
  if (run.record.state === 'cancelled') await reverse(run, 'workflow cancelled by an operator');
}
