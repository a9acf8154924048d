import { condition } from '@temporalio/workflow';
import { TEXT } from '../texts';
import { reverse } from './reverse';
import type { PaymentRun } from './run';

/** Ready_to_complete until the register completes or cancels; silent for ackTimeoutMs: reverse. */
export async function awaitRegister(run: PaymentRun): Promise<void> {
  const answered = await condition(() => run.record.state !== 'ready_to_complete', run.input.timers.ackTimeoutMs, {
    summary: 'register must complete within ACK_TIMEOUT_MS',
  });
  // The reversal follows in the same workflow task: operators' search attributes are written once, after it.
  if (!answered) run.setState('cancelled', TEXT.notAcknowledged, { deferSearch: true });
  if (run.record.state === 'cancelled') await reverse(run, answered ? 'cancelled by the register' : 'not acknowledged by the register');
}
