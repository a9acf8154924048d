import type { OverloadConfig } from '@payments/config';
import { SpiError } from '../http';
import { AdaptiveLimit } from './adaptive-limit';

/** A place in flight; `done` gives it back and tells the limit how the call went. */
export interface Permit {
  done(outcome: { dropped: boolean }): void;
}

/** What the API does on Temporal: a new payment's start, a call that finishes one already taken in, background work. */
export type Work = 'start' | 'finish' | 'background';

/**
 * Admission control in front of Temporal, per API instance. A new payment's start is refused
 * at once (503 unavailable, Retry-After) while the Temporal calls in flight are at the limit, so
 * nothing is started that Temporal cannot take. A PUT, or the confirmation that a register got
 * its paymentid, is never refused: it finishes a payment already admitted, so it goes ahead of
 * new POSTs, and its count is bounded by theirs. Background work (checking held views) runs only
 * while under half the limit: shed first. Every admitted call's latency adapts the limit.
 */
export class AdmissionControl {
  private inFlight = 0;
  private readonly limit: AdaptiveLimit | null;
  /** Starts refused since the process began, by reason of the limit. */
  shed = 0;

  constructor(
    o: OverloadConfig['admission'],
    private readonly now: () => number = () => performance.now(),
  ) {
    this.limit =
      o.mode === 'off'
        ? null
        : new AdaptiveLimit({
            initial: o.mode === 'pinned' ? o.pinned : Math.min(o.maxLimit, Math.max(o.minLimit, 20)),
            min: o.mode === 'pinned' ? o.pinned : o.minLimit,
            max: o.mode === 'pinned' ? o.pinned : o.maxLimit,
            targetMs: o.targetMs,
            pinned: o.mode === 'pinned',
            now,
          });
  }

  /** The calls allowed in flight now (Infinity when admission control is off). */
  get currentLimit(): number {
    return this.limit ? this.limit.current : Infinity;
  }

  get callsInFlight(): number {
    return this.inFlight;
  }

  /** Whether background work may start now: only well below the limit, so it never competes with registers. */
  hasRoomForBackground(): boolean {
    return this.inFlight < this.currentLimit / 2;
  }

  /**
   * A place for one Temporal call. A start over the limit throws 503 unavailable before anything
   * is started; other work is always admitted (background work asks hasRoomForBackground first).
   */
  admit(work: Work): Permit {
    if (work === 'start' && this.inFlight >= this.currentLimit) {
      this.shed++;
      throw new SpiError('unavailable', 'the payment service is busy, try again');
    }
    this.inFlight++;
    const startedAt = this.now();
    let released = false;
    return {
      done: ({ dropped }) => {
        if (released) return;
        released = true;
        this.inFlight--;
        this.limit?.learn({ startedAt, latencyMs: this.now() - startedAt, dropped }, this.inFlight);
      },
    };
  }

  /** Runs `call` under a permit; a call that failed because Temporal could not answer counts as dropped. */
  async run<T>(work: Work, call: () => Promise<T>, isDrop: (err: unknown) => boolean): Promise<T> {
    const permit = this.admit(work);
    try {
      const result = await call();
      permit.done({ dropped: false });
      return result;
    } catch (err) {
      permit.done({ dropped: isDrop(err) });
      throw err;
    }
  }
}
