import { Context } from '@temporalio/activity';
import { isTransient } from '@payments/adapters';

/** How long-polling activities pace themselves. */
export interface PollTiming {
  /** How long one long-poll call may wait at the acquirer or terminal. */
  pollWaitMs: number;
  /** Heartbeat period; well under the workflow's heartbeatTimeout, even while a call waits. */
  heartbeatMs: number;
  /** First pause after a transient fault; doubles up to maxRetryDelayMs. */
  retryDelayMs: number;
  maxRetryDelayMs: number;
}

/**
 * Calls `attempt` until it answers something, heartbeating all along. Transient faults (the
 * acquirer down, 503, timeouts) pause and try again inside the activity, so a long outage does
 * not burn through activity attempts; cancellation throws the activity's CancelledFailure.
 */
export async function pollUntil<T>(timing: PollTiming, attempt: (signal: AbortSignal) => Promise<T | undefined>): Promise<T> {
  const ctx = Context.current();
  const beat = setInterval(() => ctx.heartbeat(), timing.heartbeatMs);
  let failures = 0;
  try {
    for (;;) {
      if (ctx.cancellationSignal.aborted) throw ctx.cancellationSignal.reason;
      try {
        const answer = await attempt(ctx.cancellationSignal);
        if (answer !== undefined) return answer;
        failures = 0;
      } catch (err) {
        if (!isTransient(err)) throw err;
        failures += 1;
        ctx.log.warn('transient fault while waiting; trying again', { error: err.message, failures });
        await ctx.sleep(Math.min(timing.maxRetryDelayMs, timing.retryDelayMs * 2 ** (failures - 1)));
      }
      ctx.heartbeat();
    }
  } finally {
    clearInterval(beat);
  }
}
