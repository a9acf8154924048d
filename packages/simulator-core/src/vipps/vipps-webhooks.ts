import { createHash, createHmac } from 'node:crypto';
import type { VippsWebhookEvent } from '@payments/contract/wire';
import { EventDelivery, NO_DELIVERY_FAULTS, type DeliveryCounts, type DeliveryEndpoint, type DeliveryFaults, type DeliveryRequest, type SenderOptions } from '../event-delivery';
import { amountOf, type VippsEventRecord, type VippsPaymentRecord, type VippsWebhookRegistration } from './vipps-state';

/** Where every ePayment event of every sales unit goes (SIM_VIPPS_WEBHOOK_URL/SECRET), besides registered webhooks. */
export type VippsWebhookEndpoint = DeliveryEndpoint;

/** The ways delivery may disappoint a receiver, set by tests (POST /sim/vipps/webhooks). */
export type VippsWebhookFaults = Required<DeliveryFaults>;

export const NO_VIPPS_WEBHOOK_FAULTS: VippsWebhookFaults = NO_DELIVERY_FAULTS;

/** What was sent, for tests and the operator. */
export type VippsWebhookCounts = DeliveryCounts;

/** Vipps's retry settings default to a first wait of 500 ms and 8 attempts (live: backoff over up to 7 days). */
export interface VippsWebhooksOptions extends SenderOptions {
  /** The registered webhooks (POST /webhooks/v1/webhooks), read at each event. */
  registrations: () => VippsWebhookRegistration[];
}

/** The event type of a log entry: `epayments.payment.<name>.v1`. */
export const webhookEventType = (name: string) => `epayments.payment.${name.toLowerCase()}.v1`;

/**
 * The headers Vipps signs a webhook with: x-ms-date, x-ms-content-sha256 (base64 SHA-256 of the
 * body) and Authorization, an HMAC-SHA256 with the webhook's secret over
 * "POST\n<path and query>\n<x-ms-date>;<host>;<content hash>", base64.
 */
export function vippsWebhookHeaders(options: { secret: string; url: string; body: string; date: Date }): Record<string, string> {
  const url = new URL(options.url);
  const date = options.date.toUTCString();
  const contentHash = createHash('sha256').update(options.body, 'utf8').digest('base64');
  const signed = `POST\n${url.pathname}${url.search}\n${date};${url.host};${contentHash}`;
  const signature = createHmac('sha256', options.secret).update(signed, 'utf8').digest('base64');
  return {
    'x-ms-date': date,
    'x-ms-content-sha256': contentHash,
    authorization: `HMAC-SHA256 SignedHeaders=x-ms-date;host;x-ms-content-sha256&Signature=${signature}`,
  };
}

/** One event on its way to one URL, signed with that URL's secret. */
interface Delivery {
  url: string;
  secret: string;
  body: string;
  type: string;
  reference: string;
}

/**
 * Vipps's webhook delivery: each payment event becomes a JSON body (msn, reference, pspReference,
 * name, amount, timestamp, idempotencyKey, success) POSTed, signed, to the endpoint set at start
 * and to each registered webhook of the payment's sales unit that asked for its type. As Vipps
 * promises, deliveries of one payment to one URL go in order: one not answered 2xx is tried
 * again with doubling waits, and the later ones of that payment wait for it.
 */
export class VippsWebhooks extends EventDelivery<Delivery, VippsWebhookFaults> {
  constructor(private readonly o: VippsWebhooksOptions) {
    super({
      name: 'vipps webhook',
      endpoint: o.endpoint,
      faults: { ...NO_VIPPS_WEBHOOK_FAULTS },
      log: o.log,
      retryBaseMs: o.retryBaseMs ?? 500,
      maxAttempts: o.maxAttempts ?? 8,
      timeoutMs: o.timeoutMs ?? 10_000,
      duplicateAfterMs: 50,
    });
  }

  /** Raises a payment's event: rendered now, sent to every URL that wants it. */
  raise(rec: VippsPaymentRecord, event: VippsEventRecord): void {
    if (this.closed) return;
    const type = webhookEventType(event.name);
    const targets: { url: string; secret: string }[] = [];
    if (this.endpoint) targets.push(this.endpoint);
    for (const hook of this.o.registrations()) if (hook.msn === rec.msn && hook.events.includes(type)) targets.push(hook);
    if (targets.length === 0) return;
    const payload: VippsWebhookEvent = {
      msn: rec.msn,
      reference: rec.reference,
      pspReference: rec.pspReference,
      name: event.name,
      amount: amountOf(rec, event.value),
      timestamp: event.timestamp,
      idempotencyKey: event.idempotencyKey,
      success: event.success,
    };
    const body = JSON.stringify(payload);
    for (const target of targets) this.deliver({ url: target.url, secret: target.secret, body, type, reference: rec.reference });
  }

  protected request(d: Delivery): DeliveryRequest {
    // Signed afresh at each attempt: x-ms-date is the time of sending.
    const headers = vippsWebhookHeaders({ secret: d.secret, url: d.url, body: d.body, date: new Date(this.o.clock()) });
    return { url: d.url, headers: { 'content-type': 'application/json', ...headers }, body: d.body };
  }

  protected describe(d: Delivery): Record<string, unknown> {
    return { type: d.type, reference: d.reference };
  }

  /** One payment's deliveries to one URL go in order. */
  protected override orderKey(d: Delivery): string {
    return `${d.url} ${d.reference}`;
  }
}
