import {
  ActivityCancellationType,
  type ActivityOptions,
  isCancellation,
  type LocalActivityOptions,
  proxyActivities,
  proxyLocalActivities,
} from '@temporalio/workflow';
import type { PaymentActivities } from '../activities';
import { FAILURE, NON_RETRYABLE, refusalOf } from '../failures';

/** Short calls to the acquirer or terminal: each attempt bounded (a slow acquirer answers in 5 s). */
export const CALL: ActivityOptions = {
  startToCloseTimeout: '20s',
  retry: { initialInterval: '500ms', backoffCoefficient: 2, maximumInterval: '10s', nonRetryableErrorTypes: [...NON_RETRYABLE] },
};

/**
 * Long-polls for the customer: heartbeats tell a dead worker apart from a slow customer. A
 * cancelled poll is waited for (its end is an event in the history): the workflow must not
 * close in a workflow task that such an event can overtake, or the server refuses that task and
 * a register's PUT answered in it is lost.
 */
export const WAIT: ActivityOptions = {
  startToCloseTimeout: '30m',
  heartbeatTimeout: '10s',
  cancellationType: ActivityCancellationType.WAIT_CANCELLATION_COMPLETED,
  retry: { initialInterval: '500ms', backoffCoefficient: 2, maximumInterval: '10s' },
};

/**
 * A read of the collection that outlived its local attempt (a slow or failing provider):
 * retried like any short call, and, like the long poll, waited for when cancelled, so the
 * workflow never closes in a workflow task its end could overtake.
 */
export const READ: ActivityOptions = { ...CALL, cancellationType: ActivityCancellationType.WAIT_CANCELLATION_COMPLETED };

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

/**
 * One attempt of a short call run as a local activity, inside the workflow task that needs it:
 * no activity task, no extra workflow task. A local activity holds its workflow task, and a
 * PUT arriving meanwhile waits for it, so the attempt is bounded well inside the API's 800 ms
 * deadline (TEMPORAL_CALL_DEADLINE_MS); a slower acquirer (.55: 5 s) is left to the normal
 * activity that follows.
 */
const LOCAL_ATTEMPT: LocalActivityOptions = { startToCloseTimeout: '300ms', retry: { maximumAttempts: 1 } };

/** Every call but the long poll for the customer goes local first: each is one short request. */
type ShortCall = Exclude<keyof PaymentActivities, 'awaitCollection'>;

/**
 * A short call to the acquirer, the terminal or a sale's workflow: first one bounded local
 * attempt, then, when that times out or fails, the same call as a normal activity with
 * `fallback`'s retries (CALL by default). Every call is idempotent at the other end (the
 * acquirer's key, the reservation's update id), so the second try is the same operation.
 * `beforeFallback` runs when the call is about to outlive its workflow task.
 */
export async function shortCall<N extends ShortCall>(
  name: N,
  arg: Parameters<PaymentActivities[N]>[0],
  { summary, fallback = CALL, beforeFallback }: { summary: string; fallback?: ActivityOptions; beforeFallback?: () => void },
): Promise<Awaited<ReturnType<PaymentActivities[N]>>> {
  type Call = (a: typeof arg) => Promise<Awaited<ReturnType<PaymentActivities[N]>>>;
  const local = proxyLocalActivities<PaymentActivities>({ ...LOCAL_ATTEMPT, summary })[name] as Call;
  try {
    return await local(arg);
  } catch (err) {
    if (isCancellation(err) || refusalOf(err, NON_RETRYABLE)) throw err;
    beforeFallback?.();
    const remote = labelled(fallback, `${summary} (retried as an activity)`)[name] as Call;
    return remote(arg);
  }
}
