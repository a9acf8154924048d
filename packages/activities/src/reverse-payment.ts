import { ApplicationFailure } from '@temporalio/common';
import { Context } from '@temporalio/activity';
import { ReversalRefusedError, type Acquirer } from '@payments/adapters';
import { FAILURE, type PaymentInput } from '@payments/workflow';
import { idempotencyKey } from './keys';

/**
 * Gives the money back. The key makes every retry the same reversal; a refusal is final
 * ('reversal-refused', non-retryable), anything else throws and the workflow retries.
 */
export async function reversePayment(acquirer: Acquirer, args: { input: PaymentInput; acquirerId: string; reason: string }): Promise<void> {
  const { input, acquirerId, reason } = args;
  const ctx = Context.current();
  try {
    const payment = await acquirer.reverse(acquirerId, {
      idempotencyKey: idempotencyKey(input.paymentid, 'reverse'),
      signal: ctx.cancellationSignal,
    });
    ctx.log.info('reversed', { paymentid: input.paymentid, acquirerId, reason, status: payment.status, reversal: payment.reversal });
  } catch (err) {
    if (err instanceof ReversalRefusedError) {
      throw ApplicationFailure.nonRetryable(`the acquirer refused to reverse: ${err.message}`, FAILURE.reversalRefused);
    }
    throw err;
  }
}
