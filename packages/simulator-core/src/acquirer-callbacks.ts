import { randomBytes } from 'node:crypto';
import { SIGNATURE_HEADER, signCallback } from '@payments/contract/signature';
import { EventDelivery, type DeliveryCounts, type DeliveryEndpoint, type DeliveryRequest, type SenderOptions } from './event-delivery';

/** Where the acquirer sends its events (the API's POST /callbacks/acquirer) and the secret it signs them with. */
export type AcquirerCallbackEndpoint = DeliveryEndpoint;

/**
 * The ways delivery may disappoint the receiver, set by tests (POST /sim/acquirer/callbacks):
 * every event late by `delayMs`, none sent (`drop`), or each delivered twice (`duplicate`, the
 * second a second later, so signed afresh like a real redelivery).
 */
export interface AcquirerCallbackFaults {
  delayMs: number;
  drop: boolean;
  duplicate: boolean;
}

export const NO_CALLBACK_FAULTS: AcquirerCallbackFaults = Object.freeze({ delayMs: 0, drop: false, duplicate: false });

/** What was sent, for tests and the operator. */
export type AcquirerCallbackCounts = DeliveryCounts;

/** The event's body: the AcquirerEvent the API's callback route takes. Only a hint; the receiver reads the payment itself. */
export interface AcquirerEvent {
  event_id: string;
  paymentid: string;
  type: string;
}

export type AcquirerCallbacksOptions = SenderOptions;

/** The duplicate goes this much later: in another second, so its signature is not a replay of the first. */
const DUPLICATE_AFTER_MS = 1_100;

/** One event on its way. */
interface Callback {
  event: AcquirerEvent;
  body: string;
}

/**
 * The acquirer's callbacks: each change a waiting payment cares about becomes an event
 * `{event_id, paymentid, type}` POSTed as JSON with an X-Signature (@payments/contract/signature).
 * Sent in the background, never in the way of an answer; a non-2xx answer or none is tried
 * again with doubling waits, each attempt signed afresh, up to `maxAttempts`. At least once,
 * in no promised order.
 */
export class AcquirerCallbacks extends EventDelivery<Callback, AcquirerCallbackFaults> {
  constructor(private readonly o: AcquirerCallbacksOptions) {
    super({
      name: 'acquirer callback',
      endpoint: o.endpoint,
      faults: { ...NO_CALLBACK_FAULTS },
      log: o.log,
      retryBaseMs: o.retryBaseMs ?? 250,
      maxAttempts: o.maxAttempts ?? 6,
      timeoutMs: o.timeoutMs ?? 5_000,
      duplicateAfterMs: DUPLICATE_AFTER_MS,
    });
  }

  /** Raises an event for the payment (`type`: what happened, e.g. `payment.approved`); returns at once. */
  raise(paymentid: string, type: string): void {
    if (!this.endpoint || this.closed) return;
    const event: AcquirerEvent = { event_id: `evt_${randomBytes(12).toString('hex')}`, paymentid, type };
    this.deliver({ event, body: JSON.stringify(event) });
  }

  protected request({ body }: Callback): DeliveryRequest | null {
    const endpoint = this.endpoint;
    if (!endpoint) return null;
    const signature = signCallback(endpoint.secret, body, Math.floor(this.o.clock() / 1000));
    return { url: endpoint.url, headers: { 'content-type': 'application/json; charset=utf-8', [SIGNATURE_HEADER]: signature }, body };
  }

  protected describe({ event }: Callback): Record<string, unknown> {
    return { paymentid: event.paymentid, type: event.type };
  }
}
