import { Context } from '@temporalio/activity';
import { RejectedError, type Acquirer } from '@payments/adapters';
import type { PaymentInput } from '@payments/workflow';
import { idempotencyKey } from './keys';

/** Tells the acquirer the register accepted the payment; transient faults throw and are retried. */
export async function confirmPayment(acquirer: Acquirer, args: { input: PaymentInput; acquirerId: string }): Promise<void> {
  const { input, acquirerId } = args;
  const ctx = Context.current();
  try {
    await acquirer.confirm(acquirerId, { idempotencyKey: idempotencyKey(input.paymentid, 'confirm'), signal: ctx.cancellationSignal });
  } catch (err) {
    // Nothing to confirm (the acquirer does not hold it as approved): no retry changes that,
    // and the register's completion stands; operators see the warning.
    if (err instanceof RejectedError) {
      ctx.log.warn('the acquirer did not take the confirmation', { paymentid: input.paymentid, acquirerId, code: err.code, error: err.message });
      return;
    }
    throw err;
  }
}
