import { storeNewest } from '../memory';

/** One bucket: the tokens it held at `at` (epoch ms). */
interface Bucket {
  tokens: number;
  at: number;
}

/**
 * Token buckets by key, in memory: each holds at most `capacity` tokens and gains `perSecond`
 * a second. At most `maxKeys` buckets are kept; past that the least recently used goes, which
 * forgets only that it was partly drained.
 */
export class TokenBuckets {
  private readonly buckets = new Map<string, Bucket>();
  private readonly perMs: number;

  constructor(private readonly opts: { capacity: number; perSecond: number; maxKeys?: number }) {
    this.perMs = opts.perSecond / 1000;
  }

  /** Takes one token: 0 when one was taken, else the milliseconds until one will be there. */
  take(key: string, now: number): number {
    const bucket = this.refill(key, now);
    if (bucket.tokens >= 1) {
      bucket.tokens -= 1;
      this.store(key, bucket);
      return 0;
    }
    return this.waitFor(bucket);
  }

  /** The milliseconds until `key` has a token to take (0 if it has one now); takes nothing. */
  wait(key: string, now: number): number {
    const bucket = this.buckets.get(key);
    return bucket ? this.waitFor(this.refilled(bucket, now)) : 0;
  }

  private waitFor(bucket: Bucket): number {
    if (bucket.tokens >= 1) return 0;
    // The epsilon keeps float dust (1.0000000000000009 ms) from adding a whole millisecond.
    return this.perMs > 0 ? Math.max(1, Math.ceil((1 - bucket.tokens) / this.perMs - 1e-9)) : Number.POSITIVE_INFINITY;
  }

  private refilled(bucket: Bucket, now: number): Bucket {
    const gained = Math.max(0, now - bucket.at) * this.perMs;
    return { tokens: Math.min(this.opts.capacity, bucket.tokens + gained), at: Math.max(now, bucket.at) };
  }

  private refill(key: string, now: number): Bucket {
    const bucket = this.buckets.get(key);
    return bucket ? this.refilled(bucket, now) : { tokens: this.opts.capacity, at: now };
  }

  private store(key: string, bucket: Bucket): void {
    storeNewest(this.buckets, key, bucket, this.opts.maxKeys ?? 10_000);
  }
}
