import type { ProviderRecord } from '@payments/contract';

/** One payment in a provider's books: the shape the reconciliation matches (@payments/contract). */
export type { ProviderRecord };

export interface RecordPageRequest {
  merchant: string;
  /** Records created in [from, to), ISO instants. */
  from: string;
  to: string;
  /** Where the previous page ended; null for the first. */
  cursor: string | null;
  limit: number;
  signal?: AbortSignal;
}

/**
 * A provider's books for a period, a page at a time, within its rate limits: what the
 * reconciliation reads. Each provider (the simulated acquirer, Stripe, …) implements it once.
 */
export interface ProviderRecords {
  /** The provider's name in reports: 'simulator', 'stripe', … */
  readonly provider: string;
  /** One page; throws TransientError when the provider cannot be read now (the caller retries). */
  listRecords(req: RecordPageRequest): Promise<{ records: ProviderRecord[]; next: string | null }>;
}

/**
 * Spaces a reader's calls at least `minIntervalMs` apart, so a day's pages stay within the
 * provider's rate limit however fast the pages are asked for.
 */
export function paced(minIntervalMs: number): () => Promise<void> {
  let nextAt = 0;
  return async () => {
    const now = Date.now();
    const wait = nextAt - now;
    nextAt = Math.max(now, nextAt) + minIntervalMs;
    if (wait > 0) await new Promise((r) => setTimeout(r, wait));
  };
}
