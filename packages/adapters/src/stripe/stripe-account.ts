import Stripe from 'stripe';
import { abortablePause } from '../abortable-pause';
import { NotFoundError, RejectedError, TransientError } from '../errors';
import type { StartTransaction } from '../terminal';
import { intentRequest } from './intent-request';
import { budgetFor, endpointBudgetFor, modeOf, type StripeBudget } from './stripe-budget';
import { fromStripeError, rateLimitRetry } from './stripe-errors';
import { budgetedHttpClient, callContext, type StripeRequestMetrics } from './stripe-transport';

/** How long a create waits for Stripe to finish the same create sent by another worker (409) before giving up for now. */
const IN_PROGRESS_WAIT_MS = 10_000;
/** How long one call keeps retrying Stripe's 429s before it leaves them to the activity's retry. */
const RATE_LIMIT_RETRY_MS = 8_000;
/**
 * How long an intent the terminal read stays handed over to the acquirer's create. The create
 * follows the read in the same activity, with no Stripe call between: this only bounds what a
 * failed activity leaves behind.
 */
const HANDOVER_MS = 5_000;

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
  /**
   * Requests a second this process sends for the account; by default 80% of Stripe's limit for
   * the key's mode (live 100, sandbox 25), the rest left to other workers and retries.
   */
  requestsPerSecond?: number;
  /** Counts every request sent (read or write, 429 or not); nothing by default. */
  metrics?: StripeRequestMetrics;
}

/**
 * The SDK client, pointed at apiUrl through its host/port/protocol options (and sending through
 * `httpClient` when given). The SDK retries nothing itself (maxNetworkRetries: 0): its loop backs
 * off one request, not the account, and never retries a 429 without Stripe-Should-Retry; so
 * StripeAccount.call retries a 429 with the account held back, and Temporal's activity retry
 * takes everything else.
 */
export function stripeClient(options: Pick<StripeAccountOptions, 'secretKey' | 'apiUrl' | 'timeoutMs'> & { httpClient?: Stripe.HttpClient }): Stripe {
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
    ...(options.httpClient ? { httpClient: options.httpClient } : {}),
  });
}

/**
 * A merchant's account: the SDK client, its readers, and the way back from our paymentid to the
 * PaymentIntent. That way is the intent's own create request, repeated: Stripe answers a key it
 * has seen (within 24 hours) with the intent it made then, whichever process asks, and makes the
 * intent when the first try never landed. Never the search index, which lags new intents (under
 * a minute, up to an hour in an outage), so a miss there proves nothing about a payment in flight.
 */
export class StripeAccount {
  readonly stripe: Stripe;
  readonly pollEveryMs: number;
  /** The account's budget in this process, shared with every other client of the same key. */
  readonly budget: StripeBudget;
  /** The calls of this process: no create to repeat for an intent it already knows. */
  private readonly intentIds = new Map<string, string>();
  /** Intents the terminal just read as a read card, by id: the acquirer's create takes them instead of reading again. */
  private readonly handedOver = new Map<string, { intent: Stripe.PaymentIntent; at: number }>();

  constructor(readonly options: StripeAccountOptions) {
    this.budget = budgetFor(options.secretKey, options.requestsPerSecond);
    const httpClient = budgetedHttpClient({
      budget: this.budget,
      // A rate set for the account (tests, a raised limit) stands for its endpoints too.
      endpointBudget: options.requestsPerSecond === undefined ? (endpoint) => endpointBudgetFor(options.secretKey, endpoint) : undefined,
      labels: { merchant: options.merchant, mode: modeOf(options.secretKey) },
      metrics: options.metrics,
    });
    this.stripe = stripeClient({ ...options, httpClient });
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

  /**
   * One SDK call, its failure turned into TransientError or RejectedError. Its requests wait for
   * the account's budget (an abort of `signal` ends the wait). A 429 is retried here, as Stripe
   * asks: the account's budget held back a moment, this call after an exponential backoff with
   * jitter, for a bounded time; then, or when Stripe says not to retry (Stripe-Should-Retry:
   * false), it is a TransientError, which the activity retries: never a failed payment.
   */
  async call<T>(what: string, fn: (stripe: Stripe) => Promise<T>, signal?: AbortSignal): Promise<T> {
    const started = Date.now();
    for (let attempt = 0; ; attempt++) {
      try {
        return await callContext.run({ signal, polling: callContext.getStore()?.polling ?? false }, () => fn(this.stripe));
      } catch (err) {
        if (signal?.aborted) throw signal.reason;
        const wait = rateLimitRetry(err, attempt);
        if (wait === null) throw fromStripeError(err, what);
        this.budget.holdFor(wait);
        if (Date.now() - started + wait > RATE_LIMIT_RETRY_MS) throw fromStripeError(err, what);
        await this.pause(wait, signal);
      }
    }
  }

  /** Runs `fn` with its reads as polls: they wait behind every step of every payment of the account. */
  polling<T>(fn: () => Promise<T>): Promise<T> {
    return callContext.run({ signal: undefined, polling: true }, fn);
  }

  /** The intent this process made or found for a paymentid, if any. */
  knownIntent(paymentid: string): string | undefined {
    return this.intentIds.get(paymentid);
  }

  remember(paymentid: string, intentId: string): void {
    this.intentIds.set(paymentid, intentId);
  }

  /**
   * Hands an intent the terminal read as a read card (authorized, its charge expanded) to the
   * acquirer's create that follows it, which then need not read it again. Nothing else is kept:
   * an intent without its charge (the card's brand and last four digits) is read by the create.
   */
  handOver(intent: Stripe.PaymentIntent): void {
    const now = Date.now();
    for (const [id, { at }] of this.handedOver) if (now - at > HANDOVER_MS) this.handedOver.delete(id);
    const charged = typeof intent.latest_charge === 'object' && intent.latest_charge !== null;
    if (charged && (intent.status === 'requires_capture' || intent.status === 'succeeded')) this.handedOver.set(intent.id, { intent, at: now });
  }

  /** The intent the terminal just handed over, once; undefined when none (another process read it, or a while ago). */
  takeHandedOver(intentId: string): Stripe.PaymentIntent | undefined {
    const entry = this.handedOver.get(intentId);
    this.handedOver.delete(intentId);
    return entry && Date.now() - entry.at <= HANDOVER_MS ? entry.intent : undefined;
  }

  /**
   * The sale's create, or its replay: the intent as Stripe first answered it, and whether this
   * answer is a replay (then its status is that of the first answer, not the intent's now).
   * While the first create with the key still executes elsewhere, Stripe answers 409: ask again.
   */
  async createIntent(tx: StartTransaction, signal?: AbortSignal): Promise<{ intent: Stripe.PaymentIntent; replayed: boolean }> {
    const { params, idempotencyKey } = intentRequest(tx, this.merchant);
    const until = Date.now() + IN_PROGRESS_WAIT_MS;
    for (;;) {
      try {
        const intent = await this.call('create the PaymentIntent', (s) => s.paymentIntents.create(params, { idempotencyKey }), signal);
        this.remember(tx.reference, intent.id);
        return { intent, replayed: intent.lastResponse?.headers?.['idempotent-replayed'] === 'true' };
      } catch (err) {
        if (!(err instanceof TransientError && err.status === 409) || Date.now() >= until) throw err;
        await this.pause(this.pollEveryMs, signal);
      }
    }
  }

  /**
   * The sale's intent as it is now, whichever process made it: known here, or the create
   * repeated. When the first create never landed this makes the intent (requires_payment_method,
   * on no reader): a caller that stops the payment cancels it, so a start still on its way
   * replays the key, finds it cancelled and never prompts.
   */
  async intentOf(tx: StartTransaction, signal?: AbortSignal): Promise<Stripe.PaymentIntent> {
    const known = this.intentIds.get(tx.reference);
    if (known) return this.retrieve(known, signal);
    try {
      const { intent, replayed } = await this.createIntent(tx, signal);
      return replayed ? this.retrieve(intent.id, signal) : intent;
    } catch (err) {
      // The key was first used with other parameters (a version of this service that sent
      // others): that create landed, so the intent exists; only search can name it now.
      if (err instanceof RejectedError && err.code === 'idempotency_error') return this.searchedIntent(tx.reference);
      throw err;
    }
  }

  /**
   * The intent of a paymentid that must exist (its create landed), known here or found by
   * search; a search miss is the index lagging, so it is transient: the caller retries.
   */
  async searchedIntent(paymentid: string): Promise<Stripe.PaymentIntent> {
    const found = await this.findIntent(paymentid);
    if (!found) throw new TransientError(`no PaymentIntent for ${paymentid} found by search yet (Stripe's index lags new intents)`);
    return found;
  }

  /**
   * The intent made for another payment (a refund's sale), or null when search finds none. A
   * sale younger than the index's lag can be missed: the refund is then declined, never paid
   * twice; every intent of the payment itself is found through intentOf instead.
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
  async retrieve(intentId: string, signal?: AbortSignal): Promise<Stripe.PaymentIntent> {
    try {
      return await this.call(`retrieve ${intentId}`, (s) => s.paymentIntents.retrieve(intentId, { expand: ['latest_charge'] }), signal);
    } catch (err) {
      if (err instanceof RejectedError && err.code === 'resource_missing') throw new NotFoundError(err.message);
      throw err;
    }
  }

  /** Pauses between reads of a waiting call; the caller's abort ends it with its reason. */
  pause(ms: number, signal?: AbortSignal): Promise<void> {
    return abortablePause(ms, signal);
  }
}
