import { setTimeout as delay } from 'node:timers/promises';

/** Waits `ms`; the caller's abort ends the wait with the abort's own reason (not an AbortError of the timer's). */
export async function abortablePause(ms: number, signal?: AbortSignal): Promise<void> {
  if (signal?.aborted) throw signal.reason;
  try {
    await delay(ms, undefined, signal ? { signal } : undefined);
  } catch (err) {
    if (signal?.aborted) throw signal.reason;
    throw err;
  }
}
