import { storeNewest } from '../memory';
import { TokenBuckets } from './token-buckets';

/** How many (address, username) pairs and addresses the limiter remembers at once. */
const MAX_KEYS = 50_000;
/** Longer usernames share a bucket with their first characters: keys stay small, whatever is sent. */
const USERNAME_KEY_CHARS = 128;

/** Why a login is held back before its credentials are checked. */
export type LoginBlock = 'pair-blocked' | 'address-blocked';

/**
 * Failed logins, counted as the trusted login services do: per (client address, username), so
 * that one register with a wrong password holds back only its own username at that address, and
 * per address with a much higher ceiling, against guessing across many usernames. A pair that
 * logged in from the address during the window is not held by the address ceiling, so a store
 * keeps paying while someone on its network guesses other usernames. Nothing resets a count
 * early: a right password never refills a pair's bucket.
 */
export class LoginLimiter {
  private readonly pairs: TokenBuckets | null;
  private readonly addresses: TokenBuckets | null;
  /** pair → when it last logged in; read only while its address is over the ceiling. */
  private readonly succeeded = new Map<string, number>();

  constructor(private readonly opts: { limit: number; windowMs: number; addressLimit: number }) {
    const buckets = (capacity: number) =>
      capacity > 0 ? new TokenBuckets({ capacity, perSecond: (capacity * 1000) / opts.windowMs, maxKeys: MAX_KEYS }) : null;
    this.pairs = buckets(opts.limit);
    this.addresses = buckets(opts.addressLimit);
  }

  /** Whether a login from `address` as `username` is held back now, and for how long; null when it may be checked. */
  blocked(address: string, username: string, now: number): { block: LoginBlock; waitMs: number } | null {
    const pair = pairKey(address, username);
    const pairWait = this.pairs?.wait(pair, now) ?? 0;
    if (pairWait > 0) return { block: 'pair-blocked', waitMs: pairWait };
    const addressWait = this.addresses?.wait(address, now) ?? 0;
    if (addressWait > 0 && !this.loggedInRecently(pair, now)) return { block: 'address-blocked', waitMs: addressWait };
    return null;
  }

  /** A presented credential that was wrong: counts for its pair and its address. */
  failed(address: string, username: string, now: number): void {
    this.pairs?.take(pairKey(address, username), now);
    this.addresses?.take(address, now);
  }

  /** A login that succeeded: the pair is known at this address for a window (it resets no count). */
  loggedIn(address: string, username: string, now: number): void {
    if (this.addresses === null) return;
    storeNewest(this.succeeded, pairKey(address, username), now, MAX_KEYS);
  }

  private loggedInRecently(pair: string, now: number): boolean {
    const at = this.succeeded.get(pair);
    return at !== undefined && now - at < this.opts.windowMs;
  }
}

/** NUL cannot appear in a client address, so no two pairs share a key. */
const pairKey = (address: string, username: string): string => `${address}\u0000${username.slice(0, USERNAME_KEY_CHARS)}`;
