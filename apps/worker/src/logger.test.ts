import { Writable } from 'node:stream';
import { createLogger, paymentIdOf, temporalLogger } from './logger';

/** A pino logger at `level` whose lines are collected, parsed. */
function capture(level: Parameters<typeof createLogger>[0]) {
  const lines: Record<string, unknown>[] = [];
  const sink = new Writable({
    write(chunk: Buffer, _enc, done) {
      for (const line of chunk.toString().split('\n').filter(Boolean)) lines.push(JSON.parse(line));
      done();
    },
  });
  return { lines, logger: temporalLogger(createLogger(level, sink)) };
}

const activityMeta = {
  sdkComponent: 'activity',
  workflowId: 'payment-6f1d7c2e-1111-4000-8000-000000000001',
  workflowType: 'paymentWorkflow',
  activityType: 'reversePayment',
  taskToken: 'CiQ0YzU2…',
};

test('an activity’s line → one JSON line with the paymentid beside the workflow id, no task token', () => {
  const { lines, logger } = capture('info');
  logger.info('reversed', { ...activityMeta, acquirerId: 'acq_1' });
  expect(lines).toHaveLength(1);
  expect(lines[0]).toMatchObject({
    level: 30,
    service: 'worker',
    msg: 'reversed',
    paymentid: '6f1d7c2e-1111-4000-8000-000000000001',
    workflowId: 'payment-6f1d7c2e-1111-4000-8000-000000000001',
    activityType: 'reversePayment',
    acquirerId: 'acq_1',
  });
  expect(lines[0]).not.toHaveProperty('taskToken');
});

test('an error in the metadata → logged under err with its message and stack', () => {
  const { lines, logger } = capture('info');
  logger.error('activity failed', { ...activityMeta, error: new Error('acquirer down') });
  expect(lines[0]).toMatchObject({ level: 50, err: { type: 'Error', message: 'acquirer down' } });
  expect(String((lines[0]!.err as { stack: string }).stack)).toContain('acquirer down');
});

test('LOG_LEVEL=warn → info and debug lines dropped, warn and error kept; Temporal’s levels map onto pino’s', () => {
  const { lines, logger } = capture('warn');
  logger.debug('d');
  logger.info('i');
  logger.log('WARN', 'w');
  logger.error('e');
  expect(lines.map((l) => [l.msg, l.level])).toEqual([
    ['w', 40],
    ['e', 50],
  ]);
});

test('paymentIdOf: a payment’s workflow id → its paymentid; any other id → undefined', () => {
  expect(paymentIdOf('payment-abc-def')).toBe('abc-def');
  expect(paymentIdOf('refund-abc')).toBeUndefined();
  expect(paymentIdOf('payment')).toBeUndefined();
  expect(paymentIdOf(undefined)).toBeUndefined();
});
