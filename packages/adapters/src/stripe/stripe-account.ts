import { setTimeout as delay } from 'node:timers/promises';
import Stripe from 'stripe';
import { NotFoundError, RejectedError } from '../errors';
import { fromStripeError } from './stripe-errors';

/** One merchant's Stripe account as the adapter reaches it. */
export interface StripeAccountOptions {
  merchant: string;
  /** sk_test_… while testing, sk_live_… (or a restricted rk_ key) in production. */
  secretKey: string;
  /** https://api.stripe.com by default; the simulator's URL (http://127.0.0.1:3100) in tests. */
  apiUrl?: string;
  /** Each register's reader: posid → tmr_… */
  readers: Readonly<Record<string, string>>;
  /** Per-call timeout; the activities retry with the same Idempotency-Key. */
  timeoutMs?: number;
  /** Stripe has no long-poll: how often a waiting call reads the reader and the intent again. */
  pollEveryMs?: number;
}

/** The SDK client, pointed at apiUrl through its host/port/protocol options, with retries left to Temporal. */
export function stripeClient(options: Pick<StripeAccountOptions, 'secretKey' | 'apiUrl' | 'timeoutMs'>): Stripe {
  const url = new URL(options.apiUrl ?? 'https://api.stripe.com');
  const protocol = url.protocol === 'http:' ? 'http' : 'https';
  return new Stripe(options.secretKey, {
    host: url.hostname,
    port: url.port === '' ? (protocol === 'http' ? 80 : 443) : Number(url.port),
    protocol,
    maxNetworkRetries: 0,
    timeout: options.timeoutMs ?? 15_000,
    telemetry: false,
    appInfo: { name: 'sitoo-payments' },
  });
}

/**
 * A merchant's account: the SDK client, its readers, and the way back from our paymentid to the
 * PaymentIntent (held in memory for the calls of this process, found by search after a restart).
 */
export class StripeAccount {
  readonly stripe: Stripe;
  readonly pollEveryMs: number;
  private readonly intentIds = new Map<string, string>();

  constructor(readonly options: StripeAccountOptions) {
    this.stripe = stripeClient(options);
    this.pollEveryMs = options.pollEveryMs ?? 500;
  }

  get merchant(): string {
    return this.options.merchant;
  }

  /** The reader of a register; a register without one cannot take a Stripe card payment. */
  readerOf(posid: string): string {
    const reader = this.options.readers[posid];
    if (!reader) throw new RejectedError(`no Stripe reader is configured for register ${posid} (merchant ${this.merchant})`, 422, 'no-reader');
    return reader;
  }

  /** One SDK call, its failure turned into TransientError or RejectedError. */
  async call<T>(what: string, fn: (stripe: Stripe) => Promise<T>): Promise<T> {
    try {
      return await fn(this.stripe);
    } catch (err) {
      throw fromStripeError(err, what);
    }
  }

  remember(paymentid: string, intentId: string): void {
    this.intentIds.set(paymentid, intentId);
  }

  /**
   * The intent made for a paymentid, or null when there is none. A process that did not make it
   * (a restarted worker) finds it by metadata search; Stripe's search index may lag a new
   * intent by up to a minute, so a miss right after a create is possible there (not in the simulator).
   */
  async findIntent(paymentid: string): Promise<Stripe.PaymentIntent | null> {
    const known = this.intentIds.get(paymentid);
    if (known) return this.retrieve(known);
    const found = await this.call('search payment intents', (s) =>
      s.paymentIntents.search({ query: `metadata['paymentid']:'${paymentid.replace(/'/g, "\\'")}'`, limit: 1 }),
    );
    const intent = found.data[0];
    if (!intent || intent.metadata.paymentid !== paymentid) return null;
    this.remember(paymentid, intent.id);
    return intent;
  }

  /** The intent with its charge (the card's brand and last four digits). */
  async retrieve(intentId: string): Promise<Stripe.PaymentIntent> {
    try {
      return await this.call(`retrieve ${intentId}`, (s) => s.paymentIntents.retrieve(intentId, { expand: ['latest_charge'] }));
    } catch (err) {
      if (err instanceof RejectedError && err.code === 'resource_missing') throw new NotFoundError(err.message);
      throw err;
    }
  }

  /** Pauses between reads of a waiting call; the caller's abort ends it with its reason. */
  async pause(ms: number, signal?: AbortSignal): Promise<void> {
    if (signal?.aborted) throw signal.reason;
    try {
      await delay(ms, undefined, signal ? { signal } : undefined);
    } catch (err) {
      if (signal?.aborted) throw signal.reason;
      throw err;
    }
  }
}
