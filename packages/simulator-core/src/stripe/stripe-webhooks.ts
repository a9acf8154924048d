import { createHmac, randomBytes } from 'node:crypto';
import { EventDelivery, NO_DELIVERY_FAULTS, type DeliveryCounts, type DeliveryFaults, type DeliveryEndpoint, type DeliveryRequest, type SenderOptions } from '../event-delivery';
import { chargeObject, intentObject, readerObject, refundObject } from './stripe-objects';
import type { StripeIntentRecord, StripeReaderRecord, StripeRefundRecord, StripeState } from './stripe-state';

/** Where Stripe sends an account's events: the endpoint's URL and its signing secret (whsec_…). */
export type StripeWebhookEndpoint = DeliveryEndpoint;

/** What changed, as the simulator's state machines report it; rendered into Stripe's event objects here. */
export type StripeChange =
  | { type: `payment_intent.${string}`; intent: StripeIntentRecord }
  | { type: `terminal.reader.${string}`; reader: StripeReaderRecord }
  | { type: 'charge.refunded'; intent: StripeIntentRecord }
  | { type: `refund.${string}`; refund: StripeRefundRecord };

/** The ways Stripe's delivery may disappoint a receiver, set by tests (POST /sim/stripe/webhooks). */
export type StripeWebhookFaults = Required<DeliveryFaults>;

export const NO_WEBHOOK_FAULTS: StripeWebhookFaults = NO_DELIVERY_FAULTS;

/** What was sent, for tests and the operator. */
export type StripeWebhookCounts = DeliveryCounts;

/** Stripe's retry settings default to a first wait of 500 ms and 8 attempts (live: hours over three days). */
export type StripeWebhooksOptions = SenderOptions;

/** The Stripe-Signature header Stripe sends: `t=<unix seconds>,v1=<hex HMAC-SHA256 of "<t>.<body>" with the endpoint secret>`. */
export function stripeSignature(secret: string, body: string, timestampSec: number): string {
  const v1 = createHmac('sha256', secret).update(`${timestampSec}.${body}`).digest('hex');
  return `t=${timestampSec},v1=${v1}`;
}

/** The API version the simulated events claim (the SDK's pinned one). */
const API_VERSION = '2026-09-30.endive';

/** One event on its way: its type names it in the log. */
interface StripeDelivery {
  type: string;
  body: string;
}

/**
 * Stripe's webhook delivery for the simulated accounts: each change becomes an Event
 * (`evt_…`, the object as it is now, never expanded) POSTed as JSON to the endpoint with a
 * Stripe-Signature; a non-2xx answer or no answer is tried again with doubling waits, each
 * attempt signed afresh. At least once and in no promised order, as Stripe's own.
 */
export class StripeWebhooks extends EventDelivery<StripeDelivery, StripeWebhookFaults> {
  constructor(
    private readonly o: StripeWebhooksOptions,
    private readonly state: () => StripeState,
  ) {
    super({
      name: 'stripe webhook',
      endpoint: o.endpoint,
      faults: { ...NO_WEBHOOK_FAULTS },
      log: o.log,
      retryBaseMs: o.retryBaseMs ?? 500,
      maxAttempts: o.maxAttempts ?? 8,
      timeoutMs: o.timeoutMs ?? 10_000,
      // Stripe may send one event twice: the second a moment later, as its own delivery.
      duplicateAfterMs: 50,
    });
  }

  /** Raises the event of a change: rendered now (the object as it is at this moment), sent after. */
  raise(change: StripeChange): void {
    if (!this.endpoint || this.closed) return;
    this.deliver({ type: change.type, body: JSON.stringify(this.event(change)) });
  }

  protected request({ body }: StripeDelivery): DeliveryRequest | null {
    const endpoint = this.endpoint;
    if (!endpoint) return null;
    const signature = stripeSignature(endpoint.secret, body, Math.floor(this.o.clock() / 1000));
    return {
      url: endpoint.url,
      headers: { 'content-type': 'application/json; charset=utf-8', 'stripe-signature': signature, 'user-agent': 'Stripe/1.0 (+https://stripe.com/docs/webhooks)' },
      body,
    };
  }

  protected describe({ type }: StripeDelivery): Record<string, unknown> {
    return { type };
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
