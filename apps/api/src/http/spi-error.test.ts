import { ServiceError } from '@temporalio/client';
import { isTemporalUnavailable, isUpdateTaskFailure } from '../temporal';
import { errorResponse } from './spi-error';

/** A gRPC error as @grpc/grpc-js raises it, wrapped the way the Temporal client rethrows it. */
function grpcFailure(code: number, details: string): ServiceError {
  const grpc = Object.assign(new Error(`${code} ${details}`), { code, details, metadata: {} });
  return new ServiceError('Failed to query Workflow', { cause: grpc });
}

test('a query refused because no worker polled the task queue lately → 503 unavailable, not 500', () => {
  const err = grpcFailure(9, 'no poller seen for task queue recently, worker may be down');
  expect(isTemporalUnavailable(err)).toBe(true);
  expect(errorResponse(err, 'r1')).toMatchObject({ status: 503, body: { error_code: 'unavailable' } });
});

test('an update refused while the workflow task is being retried (a worker too busy, or gone) → unavailable (503), not 500', () => {
  const err = grpcFailure(9, 'Unable to perform workflow execution update due to Workflow Task in failed state.');
  expect(isTemporalUnavailable(err)).toBe(true);
  expect(errorResponse(err, 'r').status).toBe(503);
});

test('an update whose workflow task failed (a webhook overtook the task that closed the payment) → sent again; 503 if it keeps failing', () => {
  const err = grpcFailure(9, 'Unable to perform workflow execution update due to unexpected workflow task failure.');
  expect(isUpdateTaskFailure(err)).toBe(true);
  expect(errorResponse(err, 'r').status).toBe(503);
  expect(isUpdateTaskFailure(grpcFailure(9, 'Unable to perform workflow execution update due to Workflow Task in failed state.'))).toBe(false);
});

test('another FAILED_PRECONDITION stays an internal error (500 other)', () => {
  const err = grpcFailure(9, 'something else entirely');
  expect(isTemporalUnavailable(err)).toBe(false);
  expect(errorResponse(err, 'r2')).toMatchObject({ status: 500, body: { error_code: 'other' } });
});
