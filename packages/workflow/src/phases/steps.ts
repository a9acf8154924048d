import { type ActivityOptions, proxyActivities } from '@temporalio/workflow';
import type { PaymentActivities } from '../activities';
import { FAILURE, NON_RETRYABLE } from '../failures';

/** Short calls to the acquirer or terminal: each attempt bounded (a slow acquirer answers in 5 s). */
export const CALL: ActivityOptions = {
  startToCloseTimeout: '20s',
  retry: { initialInterval: '500ms', backoffCoefficient: 2, maximumInterval: '10s', nonRetryableErrorTypes: [...NON_RETRYABLE] },
};

/** Long-polls for the customer: heartbeats tell a dead worker apart from a slow customer. */
export const WAIT: ActivityOptions = {
  startToCloseTimeout: '30m',
  heartbeatTimeout: '10s',
  retry: { initialInterval: '500ms', backoffCoefficient: 2, maximumInterval: '10s' },
};

/**
 * Money going back: retried without limit until the acquirer takes it (or refuses it for good),
 * so a reversal survives an acquirer that is down for hours and any restart of ours.
 */
export const REVERSAL: ActivityOptions = {
  startToCloseTimeout: '20s',
  retry: { initialInterval: '1s', backoffCoefficient: 2, maximumInterval: '1m', nonRetryableErrorTypes: [FAILURE.reversalRefused] },
};

/** The activities with a label, shown on each step of the payment's timeline in Temporal Web. */
export const labelled = (options: ActivityOptions, summary: string) => proxyActivities<PaymentActivities>({ ...options, summary });
