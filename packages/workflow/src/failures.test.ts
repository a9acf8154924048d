import { ActivityFailure, ApplicationFailure, RetryState } from '@temporalio/common';
import { FAILURE, refusalOf, toApplicationFailure } from './failures';

describe('refusalOf: the failure type behind an activity or update failure', () => {
  const refused = ApplicationFailure.nonRetryable('the scheme does not reverse', FAILURE.reversalRefused);
  test('an ActivityFailure wrapping a refusal of a wanted type → its type and message', () => {
    const err = new ActivityFailure('Activity task failed', 'reversePayment', '1', RetryState.NON_RETRYABLE_FAILURE, 'worker', refused);
    expect(refusalOf(err, [FAILURE.reversalRefused])).toEqual({ type: 'reversal-refused', message: 'the scheme does not reverse' });
  });
  test('a refusal of another type, a timeout or a plain error → null (the caller rethrows)', () => {
    const err = new ActivityFailure('Activity task failed', 'reversePayment', '1', RetryState.NON_RETRYABLE_FAILURE, 'worker', refused);
    expect(refusalOf(err, [FAILURE.fieldValidation])).toBeNull();
    expect(refusalOf(new Error('acquirer down'), [FAILURE.reversalRefused])).toBeNull();
    expect(refusalOf(new Error('wrapped', { cause: new Error('deeper') }), [FAILURE.reversalRefused])).toBeNull();
  });
  test('toApplicationFailure makes the non-retryable failure a validator throws', () => {
    const failure = toApplicationFailure({ type: FAILURE.invalidState, message: 'the payment is cancelled' });
    expect(failure).toMatchObject({ type: 'invalid-state', message: 'the payment is cancelled', nonRetryable: true });
    expect(refusalOf(failure, [FAILURE.invalidState])?.type).toBe('invalid-state');
  });
});
