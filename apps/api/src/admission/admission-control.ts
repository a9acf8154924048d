import type { OverloadConfig } from '@payments/config';
import { SpiError } from '../http';
import { AdaptiveLimit } from './adaptive-limit';

/** A place in flight; `done` gives it back and tells the limit how the call went. */
export interface Permit {
  done(outcome: { dropped: boolean }): void;
}

/** What the API does on Temporal besides starts: a call that finishes a payment already taken in, or background work. */
export type Work = 'finish' | 'background';
/** What a sample of the load measured: a call, a start's call (no pushes), or a start until its first worker view. */
type Measure = Work | 'start' | 'first-view';

/** How long a start's work is counted while its first view from the worker has not come: past it, the start counts as dropped. */
export const WORKER_VIEW_WAIT_MS = 5000;

/**
 * Admission control in front of Temporal, per API instance. It counts the Temporal work this
 * instance has in flight: its calls (starts, updates, confirmations, background checks), and
 * each payment it started until the worker's first view of that payment arrives. The second
 * part is what a saturated system queues: a start returns once Temporal has written it, while
 * its first workflow task may wait seconds for a busy worker, and every PUT behind it with it.
 *
 * A new payment's start is refused at once (503 unavailable, Retry-After) while that work is at
 * the limit, so nothing is started that Temporal and the workers cannot take. A PUT, or the
 * confirmation that a register got its paymentid, is never refused: it finishes a payment
 * already admitted, so it goes ahead of new POSTs, and its count is bounded by theirs.
 * Background work (checking held views) runs only while under half the limit: shed first.
 * Every call's latency adapts the limit, and so does a start whose first view never comes.
 *
 * Views count once this instance has had one pushed: before that (no push listener, or views
 * off) a start counts while its call is in flight, and no longer.
 */
export class AdmissionControl {
  private inFlight = 0;
  /** Starts not yet answered by the worker, by paymentid: when each was admitted, in that order. */
  private readonly starting = new Map<string, number>();
  /** Set at the first pushed view: the workers push views to this instance. */
  private workersPush = false;
  private readonly limit: AdaptiveLimit | null;
  /** Starts refused since the process began, by reason of the limit. */
  shed = 0;
  /** Cuts of the limit since the process began, by the work that measured the load and why ("start/slow", "first-view/dropped"…). */
  readonly cuts = new Map<string, number>();

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

  /** The work allowed in flight now (Infinity when admission control is off). */
  get currentLimit(): number {
    return this.limit ? this.limit.current : Infinity;
  }

  /** Temporal calls in flight from this instance. */
  get callsInFlight(): number {
    return this.inFlight;
  }

  /** Payments this instance is starting: their call in flight, or (workers pushing) their first worker view not arrived yet. */
  get startsInFlight(): number {
    this.expire();
    return this.starting.size;
  }

  /** What the limit bounds: the calls in flight, and the starts not yet answered by the worker. */
  get workInFlight(): number {
    return this.inFlight + this.startsInFlight;
  }

  /** Whether background work may start now: only well below the limit, so it never competes with registers. */
  hasRoomForBackground(): boolean {
    return this.workInFlight < this.currentLimit / 2;
  }

  /** A place for one Temporal call that is not a start; always admitted (background work asks hasRoomForBackground first). */
  admit(work: Work): Permit {
    this.inFlight++;
    const startedAt = this.now();
    let released = false;
    return {
      done: ({ dropped }) => {
        if (released) return;
        released = true;
        this.inFlight--;
        this.learn(work, startedAt, dropped);
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

  /**
   * A new payment's start. At the limit it throws 503 unavailable before `call` runs. Admitted,
   * it counts until the worker's first view of `paymentid` arrives (workerViewed), so a worker
   * that falls behind holds new payments back before their PUTs time out; without pushes, until
   * its call returns. A call that fails ends it (as dropped when Temporal could not answer).
   */
  async start<T>(paymentid: string, call: () => Promise<T>, isDrop: (err: unknown) => boolean): Promise<T> {
    if (this.workInFlight >= this.currentLimit) {
      this.shed++;
      throw new SpiError('unavailable', 'the payment service is busy, try again');
    }
    const admittedAt = this.now();
    this.starting.set(paymentid, admittedAt);
    try {
      const result = await call();
      if (!this.workersPush) this.ended('start', paymentid, admittedAt, false);
      return result;
    } catch (err) {
      this.ended('start', paymentid, admittedAt, isDrop(err));
      throw err;
    }
  }

  /** The worker pushed a view of `paymentid` to this instance; the first one after its start ends the start's work. */
  workerViewed(paymentid: string): void {
    this.workersPush = true;
    const admittedAt = this.starting.get(paymentid);
    if (admittedAt !== undefined) this.ended('first-view', paymentid, admittedAt, false);
  }

  private ended(measure: Measure, paymentid: string, admittedAt: number, dropped: boolean): void {
    if (this.starting.delete(paymentid)) this.learn(measure, admittedAt, dropped);
  }

  /** Starts whose first view has not come within WORKER_VIEW_WAIT_MS stop counting, as dropped: the worker is down or far behind. */
  private expire(): void {
    const tooOld = this.now() - WORKER_VIEW_WAIT_MS;
    for (const [paymentid, admittedAt] of this.starting) {
      if (admittedAt > tooOld) break; // in admission order: the rest are younger
      this.ended('first-view', paymentid, admittedAt, true);
    }
  }

  private learn(measure: Measure, startedAt: number, dropped: boolean): void {
    // How long a first view takes holds the acquirer's and the customer's time too, not only
    // Temporal's: only its absence is a signal. (Cutting on its latency, the limit shed a fifth
    // of the payments at a load the system carried without errors.)
    if (measure === 'first-view' && !dropped) return;
    const cut = this.limit?.learn({ startedAt, latencyMs: this.now() - startedAt, dropped }, this.inFlight + this.starting.size);
    if (cut) this.cuts.set(`${measure}/${cut}`, (this.cuts.get(`${measure}/${cut}`) ?? 0) + 1);
  }
}
