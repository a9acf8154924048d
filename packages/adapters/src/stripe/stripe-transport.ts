import { AsyncLocalStorage } from 'node:async_hooks';
import Stripe from 'stripe';
import { endpointOf, type StripeBudget, type StripeCallKind, type StripePriority } from './stripe-budget';

/** One request sent to Stripe, for the operator's counters. */
export interface StripeRequestEvent {
  merchant: string;
  mode: 'live' | 'sandbox';
  kind: StripeCallKind;
  /** ok: any answer but 429 (a decline or a 404 is Stripe's answer too); rate_limited: 429; no_answer: none came. */
  outcome: 'ok' | 'rate_limited' | 'no_answer';
  /** How long it waited for the account's budget. */
  waitedMs: number;
}

/** Where the Stripe adapter counts its requests; the worker backs it with its metric meter. */
export interface StripeRequestMetrics {
  request(event: StripeRequestEvent): void;
}

/**
 * What the request that waits for the budget needs from its caller, carried from
 * StripeAccount.call (and StripeAccount.polling) down to the transport: the caller's abort
 * signal, and whether its reads are a poll.
 */
export const callContext = new AsyncLocalStorage<{ signal: AbortSignal | undefined; polling: boolean }>();

/** GET is a read; every other method changes something at Stripe. */
export const kindOf = (method: string): StripeCallKind => (method.toUpperCase() === 'GET' ? 'read' : 'write');

/**
 * The SDK's HTTP client with the account's budget in front: every request the SDK sends (the
 * adapter's calls, and any the SDK repeats by itself) takes a token of its endpoint's budget and
 * then of the account's, and is counted, so nothing reaches Stripe around the budget. The SDK's
 * timeout runs from when the request leaves.
 */
export function budgetedHttpClient(options: {
  budget: StripeBudget;
  /** The budget of one endpoint (`GET /v1/payment_intents/:id`); none by default. */
  endpointBudget?: (endpoint: string) => StripeBudget;
  labels: Pick<StripeRequestEvent, 'merchant' | 'mode'>;
  metrics?: StripeRequestMetrics;
  inner?: Stripe.HttpClient;
}): Stripe.HttpClient {
  const inner = options.inner ?? Stripe.createNodeHttpClient();
  return {
    getClientName: () => `budgeted-${inner.getClientName()}`,
    makeRequest: async (host, port, path, method, headers, requestData, protocol, timeout) => {
      const kind = kindOf(method);
      const context = callContext.getStore();
      const priority: StripePriority = kind === 'read' && context?.polling ? 'poll' : 'step';
      const queuedAt = Date.now();
      await options.endpointBudget?.(endpointOf(method, path)).take(priority, context?.signal);
      await options.budget.take(priority, context?.signal);
      const waitedMs = Date.now() - queuedAt;
      const count = (outcome: StripeRequestEvent['outcome']) => options.metrics?.request({ ...options.labels, kind, outcome, waitedMs });
      try {
        const res = await inner.makeRequest(host, port, path, method, headers, requestData, protocol, timeout);
        count(res.getStatusCode() === 429 ? 'rate_limited' : 'ok');
        return res;
      } catch (err) {
        count('no_answer');
        throw err;
      }
    },
  };
}
