import { Context } from '@temporalio/activity';
import type { Acquirer, Terminal } from '@payments/adapters';
import type { CollectUpdate, PaymentActivities, ProviderEvents } from '@payments/workflow';
import { awaitAcquirer, cancelAtAcquirer, createAtAcquirer, readAcquirer } from './acquirer-collection';
import { countingErrors, NO_METRICS, type ActivityMetrics } from './activity-metrics';
import { awaitCard, cancelCard, readCard, startCard } from './card-collection';
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
  /**
   * The provider pushes its events to the API (which signals the payment's workflow): every
   * pending answer says so, and the workflow waits for them and reads (readCollection) instead
   * of long-polling. Absent: the workflow long-polls (awaitCollection).
   */
  events?: ProviderEvents;
}

const DEFAULT_TIMING: PollTiming = { pollWaitMs: 5_000, heartbeatMs: 2_000, retryDelayMs: 500, maxRetryDelayMs: 5_000 };

/** The payment workflow's activities over the acquirer and terminal adapters and the Temporal client. */
export function createActivities(deps: ActivityDeps): PaymentActivities {
  const metrics = deps.metrics ?? NO_METRICS;
  const acquirer = countingErrors(deps.acquirer, metrics, 'acquirer');
  const terminal = countingErrors(deps.terminal, metrics, 'terminal');
  const collect = { acquirer, terminal, timing: { ...DEFAULT_TIMING, ...deps.timing } };
  const { events } = deps;
  /** Tells the workflow how to wait for a pending collection (see `events`). */
  const waitable = (update: CollectUpdate): CollectUpdate => (events && update.status === 'pending' ? { ...update, events } : update);
  return {
    async startCollection(input) {
      return waitable(input.method === 'card' ? await startCard(collect, input) : await createAtAcquirer(collect, input));
    },
    async readCollection({ input, acquirerId }) {
      const signal = Context.current().cancellationSignal;
      if (input.method === 'card') return waitable(await readCard(collect, { input, acquirerId, signal }));
      // No id yet (a start that never answered): the create is idempotent and finds the payment.
      if (acquirerId === null) return waitable(await createAtAcquirer(collect, input, { signal }));
      return waitable(await readAcquirer(collect, acquirerId, signal));
    },
    async awaitCollection(args) {
      const { input, acquirerId } = args;
      // A payment that started long-polling before its provider's events were pushed turns to them here.
      if (input.method === 'card') return waitable(await awaitCard(collect, args));
      // No id yet (a start that never answered): the create is idempotent and finds the payment.
      if (acquirerId === null) return waitable(await createAtAcquirer(collect, input));
      return waitable(await awaitAcquirer(collect, acquirerId));
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
