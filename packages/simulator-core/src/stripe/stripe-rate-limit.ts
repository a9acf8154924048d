import { StripeWireError } from './stripe-wire-error';

/** Stripe's documented global limit in a sandbox (test mode): 25 requests a second per account. */
export const SANDBOX_REQUESTS_PER_SECOND = 25;

/** What one account (secret key) sent to the simulated Stripe, and how many of them it refused with 429. */
export interface StripeUsage {
  read: number;
  write: number;
  rateLimited: number;
  /** By endpoint, as Stripe counts its per-endpoint limits: `GET /v1/payment_intents/:id` for every intent. */
  endpoints: Record<string, number>;
}

/** A request's endpoint: its method and path with the object ids replaced by `:id`. */
export function endpointOf(method: string, path: string): string {
  return `${method.toUpperCase()} ${path.replace(/\/(pi|tmr|re|ch|pm|tml)_[A-Za-z0-9_]+/g, '/:id')}`;
}

/** The limit in force: Stripe's sandbox one unless a test lowered it (POST /sim/stripe/faults). */
export interface StripeRateLimitSetting {
  perSecond: number;
  /** The Stripe-Should-Retry header of a 429. */
  shouldRetry: boolean;
}

/** A key as it may be shown: its mode prefix and last four characters, as the Dashboard shows keys. */
export function maskKey(key: string): string {
  return key.length <= 12 ? key : `${key.slice(0, 8)}…${key.slice(-4)}`;
}

/**
 * Stripe's rate limiter as a sandbox applies it: per account (secret key), a bucket of
 * `perSecond` requests refilled at `perSecond` a second, reads and writes alike; a request
 * beyond it is answered 429 with Stripe's error body and `Stripe-Should-Retry`, and does nothing.
 * The per-endpoint limits (25 a second by default) equal the global one in a sandbox, so one
 * bucket per account models both there.
 */
export class StripeRateLimit {
  private setting: StripeRateLimitSetting = { perSecond: SANDBOX_REQUESTS_PER_SECOND, shouldRetry: true };
  private readonly buckets = new Map<string, { tokens: number; at: number }>();
  private readonly usage = new Map<string, StripeUsage>();

  constructor(private readonly clock: () => number) {}

  get current(): StripeRateLimitSetting {
    return { ...this.setting };
  }

  /** Lowers (or restores) the limit; null restores Stripe's sandbox limit. Buckets start full. */
  set(setting: Partial<StripeRateLimitSetting> | null): void {
    this.setting = { perSecond: setting?.perSecond ?? SANDBOX_REQUESTS_PER_SECOND, shouldRetry: setting?.shouldRetry ?? true };
    this.buckets.clear();
  }

  /** Counts the request and lets it through, or throws Stripe's 429. */
  admit(account: string, method: string, path = ''): void {
    const used = this.usageOf(account);
    if (method.toUpperCase() === 'GET') used.read += 1;
    else used.write += 1;
    const endpoint = endpointOf(method, path);
    used.endpoints[endpoint] = (used.endpoints[endpoint] ?? 0) + 1;
    const now = this.clock();
    const { perSecond } = this.setting;
    const bucket = this.buckets.get(account) ?? { tokens: perSecond, at: now };
    bucket.tokens = Math.min(perSecond, bucket.tokens + ((now - bucket.at) * perSecond) / 1000);
    bucket.at = now;
    this.buckets.set(account, bucket);
    if (bucket.tokens >= 1) {
      bucket.tokens -= 1;
      return;
    }
    used.rateLimited += 1;
    throw new StripeWireError(429, 'invalid_request_error', 'Request rate limit exceeded. Learn more about rate limits here https://stripe.com/docs/rate-limits.', {
      code: 'rate_limit',
      doc_url: 'https://stripe.com/docs/error-codes/rate-limit',
    });
  }

  /** The header a 429 carries. */
  get shouldRetryHeader(): 'true' | 'false' {
    return this.setting.shouldRetry ? 'true' : 'false';
  }

  /** Every account's counts, keys masked. */
  report(): Record<string, StripeUsage> {
    return Object.fromEntries([...this.usage].map(([key, used]) => [maskKey(key), { ...used, endpoints: { ...used.endpoints } }]));
  }

  private usageOf(account: string): StripeUsage {
    let used = this.usage.get(account);
    if (!used) {
      used = { read: 0, write: 0, rateLimited: 0, endpoints: {} };
      this.usage.set(account, used);
    }
    return used;
  }
}
