/** One finished Temporal call (or a start until the worker's first view of it), as the limit learns from it. */
export interface Sample {
  /** When the call began (ms, the limit's clock). */
  startedAt: number;
  latencyMs: number;
  /** Timed out or Temporal said it could not answer: as bad a sign as a slow answer. */
  dropped: boolean;
}

/**
 * A concurrency limit that follows what the Temporal behind it sustains (AIMD, as TCP and
 * Netflix's concurrency-limits do): each call slower than the target, or dropped, cuts it by a
 * fifth — at most once per round trip, so one slow burst counts once — and each quick call
 * while the limit is in use raises it by 1/limit (about +1 per limit's worth of calls). A laptop's
 * dev server settles low, a cluster high; pinned, it never moves.
 */
export class AdaptiveLimit {
  private value: number;
  private lastDecreaseAt = -Infinity;

  constructor(
    private readonly o: { initial: number; min: number; max: number; targetMs: number; pinned?: boolean; now?: () => number },
  ) {
    this.value = Math.min(o.max, Math.max(o.min, o.initial));
  }

  private now(): number {
    return this.o.now ? this.o.now() : performance.now();
  }

  /** The whole number of calls allowed in flight now. */
  get current(): number {
    return Math.floor(this.value);
  }

  /** Learns from one finished call; `inFlight` is how many were in flight when it finished. Says whether it cut the limit, and why. */
  learn(sample: Sample, inFlight: number): 'slow' | 'dropped' | null {
    if (this.o.pinned) return null;
    if (sample.dropped || sample.latencyMs > this.o.targetMs) {
      // Calls that began before the last cut measured the load before it: they do not cut again.
      if (sample.startedAt < this.lastDecreaseAt) return null;
      this.value = Math.max(this.o.min, this.value * 0.8);
      this.lastDecreaseAt = this.now();
      return sample.dropped ? 'dropped' : 'slow';
    }
    if (inFlight + 1 >= this.value / 2) {
      // Raised only while it is in use: an idle API does not talk itself into a high limit.
      this.value = Math.min(this.o.max, this.value + 1 / this.value);
    }
    return null;
  }
}
