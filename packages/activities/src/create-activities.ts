import type { Acquirer, Terminal } from '@payments/adapters';
import type { PaymentActivities } from '@payments/workflow';
import { awaitAcquirer, cancelAtAcquirer, createAtAcquirer } from './acquirer-collection';
import { countingErrors, NO_METRICS, type ActivityMetrics } from './activity-metrics';
import { awaitCard, cancelCard, startCard } from './card-collection';
import { confirmPayment } from './confirm-payment';
import type { PollTiming } from './poll';
import { reversePayment } from './reverse-payment';
import { finishRefund, reserveRefund, type TemporalDeps } from './sale-refunds';

/** What the activities run against; tests pass fakes or the in-process simulator. */
export interface ActivityDeps {
  acquirer: Acquirer;
  terminal: Terminal;
  temporal: TemporalDeps;
  /** Long-poll pacing; the defaults suit the workflow's 10 s heartbeat timeout. */
  timing?: Partial<PollTiming>;
  /** Counts failed acquirer and terminal calls; counts nothing when absent. */
  metrics?: ActivityMetrics;
}

const DEFAULT_TIMING: PollTiming = { pollWaitMs: 5_000, heartbeatMs: 2_000, retryDelayMs: 500, maxRetryDelayMs: 5_000 };

/** The payment workflow's activities over the acquirer and terminal adapters and the Temporal client. */
export function createActivities(deps: ActivityDeps): PaymentActivities {
  const metrics = deps.metrics ?? NO_METRICS;
  const acquirer = countingErrors(deps.acquirer, metrics, 'acquirer');
  const terminal = countingErrors(deps.terminal, metrics, 'terminal');
  const collect = { acquirer, terminal, timing: { ...DEFAULT_TIMING, ...deps.timing } };
  return {
    async startCollection(input) {
      return input.method === 'card' ? startCard(collect, input) : createAtAcquirer(collect, input);
    },
    async awaitCollection(args) {
      const { input, acquirerId } = args;
      if (input.method === 'card') return awaitCard(collect, args);
      // No id yet (a start that never answered): the create is idempotent and finds the payment.
      if (acquirerId === null) return createAtAcquirer(collect, input);
      return awaitAcquirer(collect, acquirerId);
    },
    async cancelCollection({ input, acquirerId }) {
      return input.method === 'card' ? cancelCard(collect, input, acquirerId) : cancelAtAcquirer(collect, input, acquirerId);
    },
    reversePayment: (args) => reversePayment(acquirer, args),
    confirmPayment: (args) => confirmPayment(acquirer, args),
    reserveRefund: (args) => reserveRefund(deps.temporal, args),
    finishRefund: (args) => finishRefund(deps.temporal, args),
  };
}
