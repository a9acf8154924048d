import { WorkflowUpdateFailedError, type Client } from '@temporalio/client';
import { ApplicationFailure, WorkflowNotFoundError } from '@temporalio/common';
import type { Acquirer, Terminal } from '@payments/adapters';
import { refundFinishedSignal, reserveRefundUpdate } from '@payments/workflow';
import { createActivities } from './create-activities';
import { inActivity } from './__fixtures__/world';

/** A Temporal client that answers every workflow handle with the given update and signal. */
function fakeTemporal(handle: { executeUpdate?: jest.Mock; signal?: jest.Mock }) {
  const getHandle = jest.fn(() => handle);
  const client = { workflow: { getHandle }, withAbortSignal: (_signal: AbortSignal, fn: () => Promise<unknown>) => fn() } as unknown as Client;
  const activities = createActivities({ acquirer: {} as Acquirer, terminal: {} as Terminal, temporal: { client } });
  return { activities, getHandle };
}

const request = { refundPaymentId: 'refund-1', merchant: 'demo', currencycode: 'SEK', amountMinor: 12900 };
const reserve = (activities: ReturnType<typeof fakeTemporal>['activities']) =>
  inActivity().run(() => activities.reserveRefund({ salePaymentId: 'sale-1', request }));

describe('reserveRefund', () => {
  test('sends the reserveRefund update to the sale workflow with an update id derived from the refund', async () => {
    const executeUpdate = jest.fn().mockResolvedValue({ remainingMinor: 26900 });
    const { activities, getHandle } = fakeTemporal({ executeUpdate });
    await reserve(activities);
    expect(getHandle).toHaveBeenCalledWith('payment-sale-1');
    expect(executeUpdate).toHaveBeenCalledWith(reserveRefundUpdate, { args: [request], updateId: 'reserve-refund-1' });
  });

  test('no such sale workflow → non-retryable field-validation', async () => {
    const executeUpdate = jest.fn().mockRejectedValue(new WorkflowNotFoundError('not found', 'payment-sale-1', undefined));
    const err = await reserve(fakeTemporal({ executeUpdate }).activities).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(ApplicationFailure);
    expect(err).toMatchObject({ type: 'field-validation', nonRetryable: true, message: 'creditpaymentid does not refer to a refundable sale' });
  });

  test('a closed sale workflow (NOT_FOUND from the server) → non-retryable field-validation', async () => {
    const grpc = Object.assign(new Error('5 NOT_FOUND: workflow execution already completed'), {
      code: 5,
      details: 'workflow execution already completed',
      metadata: {},
    });
    const executeUpdate = jest.fn().mockRejectedValue(new Error('update failed', { cause: grpc }));
    const err = await reserve(fakeTemporal({ executeUpdate }).activities).catch((e: unknown) => e);
    expect(err).toMatchObject({ type: 'field-validation', nonRetryable: true });
  });

  test.each(['refund-exceeds-original', 'field-validation'])('the sale refuses with %s → non-retryable with the same type and message', async (type) => {
    const cause = ApplicationFailure.nonRetryable('refunds would exceed the original: 100.00 remains', type);
    const executeUpdate = jest.fn().mockRejectedValue(new WorkflowUpdateFailedError('Workflow Update failed', cause));
    const err = await reserve(fakeTemporal({ executeUpdate }).activities).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(ApplicationFailure);
    expect(err).toMatchObject({ type, nonRetryable: true, message: 'refunds would exceed the original: 100.00 remains' });
  });

  test('anything else (Temporal unavailable) → thrown as is, so the activity is retried', async () => {
    const boom = new Error('14 UNAVAILABLE');
    const executeUpdate = jest.fn().mockRejectedValue(boom);
    await expect(reserve(fakeTemporal({ executeUpdate }).activities)).rejects.toBe(boom);
  });
});

describe('finishRefund', () => {
  const outcome = { refundPaymentId: 'refund-1', outcome: 'settled' as const };

  test('signals refundFinished to the sale workflow', async () => {
    const signal = jest.fn().mockResolvedValue(undefined);
    const { activities, getHandle } = fakeTemporal({ signal });
    await inActivity().run(() => activities.finishRefund({ salePaymentId: 'sale-1', outcome }));
    expect(getHandle).toHaveBeenCalledWith('payment-sale-1');
    expect(signal).toHaveBeenCalledWith(refundFinishedSignal, outcome);
  });

  test('the sale workflow is gone → done, with a warning', async () => {
    const signal = jest.fn().mockRejectedValue(new WorkflowNotFoundError('not found', 'payment-sale-1', undefined));
    const act = inActivity();
    await act.run(() => fakeTemporal({ signal }).activities.finishRefund({ salePaymentId: 'sale-1', outcome }));
    expect(act.logs.some((l) => l.level === 'WARN')).toBe(true);
  });

  test('Temporal unavailable → thrown, so the activity is retried', async () => {
    const signal = jest.fn().mockRejectedValue(new Error('14 UNAVAILABLE'));
    await expect(inActivity().run(() => fakeTemporal({ signal }).activities.finishRefund({ salePaymentId: 'sale-1', outcome }))).rejects.toThrow('UNAVAILABLE');
  });
});
