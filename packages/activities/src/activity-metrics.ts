import { CancelledFailure } from '@temporalio/common';
import { RejectedError, TransientError } from '@payments/adapters';

/** How a call to the acquirer or the terminal failed: no answer or 5xx (retried), a definitive no, or anything else. */
export type CallErrorKind = 'transient' | 'rejected' | 'other';

/** Which side of a payment provider a failed call went to: the acquirer (money) or the terminal (the customer's device). */
export type ProviderSide = 'acquirer' | 'terminal';

/**
 * What the activities count for operators. The worker backs it with the SDK's metric meter, so it
 * is served beside Temporal's own metrics; tests pass a recorder; the default counts nothing.
 */
export interface ActivityMetrics {
  /** A failed call to the acquirer (operation `create`, `reverse`…) or the terminal (`start`, `get`…). */
  providerError(side: ProviderSide, operation: string, kind: CallErrorKind): void;
}

export const NO_METRICS: ActivityMetrics = Object.freeze({ providerError: () => undefined });

function kindOf(err: unknown): CallErrorKind | null {
  // The activity being cancelled aborts its call: ours, not the acquirer's.
  if (err instanceof CancelledFailure) return null;
  if (err instanceof TransientError) return 'transient';
  if (err instanceof RejectedError) return 'rejected';
  return 'other';
}

/** The adapter with every method's failures counted under its side and method name; answers pass through untouched. */
export function countingErrors<T extends object>(adapter: T, metrics: ActivityMetrics, side: ProviderSide): T {
  if (metrics === NO_METRICS) return adapter;
  return new Proxy(adapter, {
    get(target, name) {
      const value: unknown = Reflect.get(target, name);
      if (typeof value !== 'function' || typeof name !== 'string') return value;
      return async (...args: unknown[]) => {
        try {
          return await (value as (...a: unknown[]) => Promise<unknown>).apply(target, args);
        } catch (err) {
          const kind = kindOf(err);
          if (kind) metrics.providerError(side, name, kind);
          throw err;
        }
      };
    },
  });
}
