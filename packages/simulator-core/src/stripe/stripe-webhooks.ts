import { createHmac, randomBytes } from 'node:crypto';
import { chargeObject, intentObject, readerObject, refundObject } from './stripe-objects';
import type { StripeIntentRecord, StripeReaderRecord, StripeRefundRecord, StripeState } from './stripe-state';

/** Where Stripe sends an account's events: the endpoint's URL and its signing secret (whsec_…). */
export interface StripeWebhookEndpoint {
  url: string;
  secret: string;
}

/** What changed, as the simulator's state machines report it; rendered into Stripe's event objects here. */
export type StripeChange =
  | { type: `payment_intent.${string}`; intent: StripeIntentRecord }
  | { type: `terminal.reader.${string}`; reader: StripeReaderRecord }
  | { type: 'charge.refunded'; intent: StripeIntentRecord }
  | { type: `refund.${string}`; refund: StripeRefundRecord };

/**
 * The ways Stripe's delivery may disappoint a receiver, set by tests (POST /sim/stripe/webhooks):
 * every event late by `delayMs`, none sent (`drop`), each sent twice (`duplicate`), or those
 * raised within `reorderWindowMs` of each other sent newest first (`reorder`).
 */
export interface StripeWebhookFaults {
  delayMs: number;
  drop: boolean;
  duplicate: boolean;
  reorder: boolean;
  reorderWindowMs: number;
}

export const NO_WEBHOOK_FAULTS: StripeWebhookFaults = Object.freeze({ delayMs: 0, drop: false, duplicate: false, reorder: false, reorderWindowMs: 400 });

/** What was sent, for tests and the operator. */
export interface StripeWebhookCounts {
  /** Events raised while an endpoint was set. */
  raised: number;
  /** Events not sent at all (the drop fault). */
  dropped: number;
  /** Requests answered 2xx. */
  delivered: number;
  /** Requests answered otherwise, or not at all (each is tried again later). */
  failed: number;
  /** Events given up after the last attempt. */
  abandoned: number;
}

export interface StripeWebhooksOptions {
  endpoint: StripeWebhookEndpoint | null;
  clock: () => number;
  log: (line: Record<string, unknown>) => void;
  /** The first retry's wait; each next one doubles (Stripe: hours over three days in live mode; here milliseconds). */
  retryBaseMs?: number;
  /** Attempts per delivery, the first included. */
  maxAttempts?: number;
  /** Per-request timeout. */
  timeoutMs?: number;
}

/** The Stripe-Signature header Stripe sends: `t=<unix seconds>,v1=<hex HMAC-SHA256 of "<t>.<body>" with the endpoint secret>`. */
export function stripeSignature(secret: string, body: string, timestampSec: number): string {
  const v1 = createHmac('sha256', secret).update(`${timestampSec}.${body}`).digest('hex');
  return `t=${timestampSec},v1=${v1}`;
}

/** The API version the simulated events claim (the SDK's pinned one). */
const API_VERSION = '2026-09-30.endive';

/**
 * Stripe's webhook delivery for the simulated accounts: each change becomes an Event
 * (`evt_…`, the object as it is now, never expanded) POSTed as JSON to the endpoint with a
 * Stripe-Signature; a non-2xx answer or no answer is tried again with doubling waits, each
 * attempt signed afresh. At least once and in no promised order, as Stripe's own.
 */
export class StripeWebhooks {
  endpoint: StripeWebhookEndpoint | null;
  faults: StripeWebhookFaults = { ...NO_WEBHOOK_FAULTS };
  readonly counts: StripeWebhookCounts = { raised: 0, dropped: 0, delivered: 0, failed: 0, abandoned: 0 };
  private readonly timers = new Set<NodeJS.Timeout>();
  private held: { body: string }[] = [];
  private closed = false;

  constructor(
    private readonly o: StripeWebhooksOptions,
    private readonly state: () => StripeState,
  ) {
    this.endpoint = o.endpoint;
  }

  /** Raises the event of a change: rendered now (the object as it is at this moment), sent after. */
  raise(change: StripeChange): void {
    if (!this.endpoint || this.closed) return;
    this.counts.raised += 1;
    const body = JSON.stringify(this.event(change));
    if (this.faults.drop) {
      this.counts.dropped += 1;
      this.o.log({ msg: 'stripe webhook dropped (fault)', type: change.type });
      return;
    }
    if (!this.faults.reorder) return this.schedule(body);
    // Held for the window, then sent newest first: the receiver sees them out of order.
    if (this.held.length === 0) this.later(this.faults.reorderWindowMs, () => this.releaseHeld());
    this.held.push({ body });
  }

  /** Stops retries and timers; what is still held or waiting is not sent. */
  close(): void {
    this.closed = true;
    for (const t of this.timers) clearTimeout(t);
    this.timers.clear();
    this.held = [];
  }

  private releaseHeld(): void {
    const held = this.held.reverse();
    this.held = [];
    for (const { body } of held) this.schedule(body);
  }

  private schedule(body: string): void {
    this.later(this.faults.delayMs, () => void this.attempt(body, 1));
    // The duplicate goes a moment later, as its own delivery (Stripe may send one event twice).
    if (this.faults.duplicate) this.later(this.faults.delayMs + 50, () => void this.attempt(body, 1));
  }

  private async attempt(body: string, n: number): Promise<void> {
    const endpoint = this.endpoint;
    if (!endpoint || this.closed) return;
    const signature = stripeSignature(endpoint.secret, body, Math.floor(this.o.clock() / 1000));
    let status = 0;
    try {
      const res = await fetch(endpoint.url, {
        method: 'POST',
        headers: { 'content-type': 'application/json; charset=utf-8', 'stripe-signature': signature, 'user-agent': 'Stripe/1.0 (+https://stripe.com/docs/webhooks)' },
        body,
        signal: AbortSignal.timeout(this.o.timeoutMs ?? 10_000),
      });
      status = res.status;
      await res.arrayBuffer();
    } catch {
      status = 0;
    }
    if (status >= 200 && status < 300) {
      this.counts.delivered += 1;
      return;
    }
    this.counts.failed += 1;
    const max = this.o.maxAttempts ?? 8;
    const type = (JSON.parse(body) as { type: string }).type;
    if (n >= max) {
      this.counts.abandoned += 1;
      this.o.log({ level: 'warn', msg: 'stripe webhook abandoned', type, status, attempts: n });
      return;
    }
    const waitMs = (this.o.retryBaseMs ?? 500) * 2 ** (n - 1);
    this.o.log({ msg: 'stripe webhook failed, sent again later', type, status, attempt: n, waitMs });
    this.later(waitMs, () => void this.attempt(body, n + 1));
  }

  private later(ms: number, fn: () => void): void {
    const t = setTimeout(() => {
      this.timers.delete(t);
      fn();
    }, ms);
    this.timers.add(t);
  }

  private event(change: StripeChange) {
    return {
      id: `evt_${randomBytes(12).toString('base64url').replace(/[-_]/g, 'x')}`,
      object: 'event',
      api_version: API_VERSION,
      created: Math.floor(this.o.clock() / 1000),
      data: { object: this.render(change) },
      livemode: false,
      pending_webhooks: 1,
      request: { id: null, idempotency_key: null },
      type: change.type,
    };
  }

  private render(change: StripeChange): unknown {
    if ('reader' in change) return readerObject(change.reader, this.state());
    if ('refund' in change) return refundObject(change.refund);
    if (change.type === 'charge.refunded') return chargeObject(change.intent);
    return intentObject(change.intent);
  }
}
