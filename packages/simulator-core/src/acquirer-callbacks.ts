import { randomBytes } from 'node:crypto';
import { SIGNATURE_HEADER, signCallback } from '@payments/contract/signature';

/** Where the acquirer sends its events (the API's POST /callbacks/acquirer) and the secret it signs them with. */
export interface AcquirerCallbackEndpoint {
  url: string;
  secret: string;
}

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
export interface AcquirerCallbackCounts {
  /** Events raised while an endpoint was set. */
  raised: number;
  /** Events not sent at all (the drop fault). */
  dropped: number;
  /** Requests answered 2xx. */
  delivered: number;
  /** Requests answered otherwise, or not at all (each is tried again later, up to the last attempt). */
  failed: number;
  /** Deliveries given up after the last attempt. */
  abandoned: number;
}

/** The event's body: the AcquirerEvent the API's callback route takes. Only a hint; the receiver reads the payment itself. */
export interface AcquirerEvent {
  event_id: string;
  paymentid: string;
  type: string;
}

export interface AcquirerCallbacksOptions {
  endpoint: AcquirerCallbackEndpoint | null;
  /** Epoch milliseconds: the signature's timestamp. */
  clock: () => number;
  log: (line: Record<string, unknown>) => void;
  /** The first retry's wait; each next one doubles. */
  retryBaseMs?: number;
  /** Attempts per delivery, the first included: bounded, so a receiver that is gone costs nothing for long. */
  maxAttempts?: number;
  /** Per-request timeout. */
  timeoutMs?: number;
}

/** The duplicate goes this much later: in another second, so its signature is not a replay of the first. */
const DUPLICATE_AFTER_MS = 1_100;

/**
 * The acquirer's callbacks: each change a waiting payment cares about becomes an event
 * `{event_id, paymentid, type}` POSTed as JSON with an X-Signature (@payments/contract/signature).
 * Sent in the background, never in the way of an answer; a non-2xx answer or none is tried
 * again with doubling waits, each attempt signed afresh, up to `maxAttempts`. At least once,
 * in no promised order.
 */
export class AcquirerCallbacks {
  endpoint: AcquirerCallbackEndpoint | null;
  faults: AcquirerCallbackFaults = { ...NO_CALLBACK_FAULTS };
  readonly counts: AcquirerCallbackCounts = { raised: 0, dropped: 0, delivered: 0, failed: 0, abandoned: 0 };
  private readonly timers = new Set<NodeJS.Timeout>();
  private closed = false;

  constructor(private readonly o: AcquirerCallbacksOptions) {
    this.endpoint = o.endpoint;
  }

  /** Raises an event for the payment (`type`: what happened, e.g. `payment.approved`); returns at once. */
  raise(paymentid: string, type: string): void {
    if (!this.endpoint || this.closed) return;
    this.counts.raised += 1;
    if (this.faults.drop) {
      this.counts.dropped += 1;
      this.o.log({ msg: 'acquirer callback dropped (fault)', paymentid, type });
      return;
    }
    const event: AcquirerEvent = { event_id: `evt_${randomBytes(12).toString('hex')}`, paymentid, type };
    const body = JSON.stringify(event);
    this.later(this.faults.delayMs, () => void this.attempt(event, body, 1));
    if (this.faults.duplicate) this.later(this.faults.delayMs + DUPLICATE_AFTER_MS, () => void this.attempt(event, body, 1));
  }

  /** Stops retries and timers; what is still waiting is not sent. */
  close(): void {
    this.closed = true;
    for (const t of this.timers) clearTimeout(t);
    this.timers.clear();
  }

  private async attempt(event: AcquirerEvent, body: string, n: number): Promise<void> {
    const endpoint = this.endpoint;
    if (!endpoint || this.closed) return;
    const signature = signCallback(endpoint.secret, body, Math.floor(this.o.clock() / 1000));
    let status = 0;
    try {
      const res = await fetch(endpoint.url, {
        method: 'POST',
        headers: { 'content-type': 'application/json; charset=utf-8', [SIGNATURE_HEADER]: signature },
        body,
        signal: AbortSignal.timeout(this.o.timeoutMs ?? 5_000),
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
    const { paymentid, type } = event;
    if (n >= (this.o.maxAttempts ?? 6)) {
      this.counts.abandoned += 1;
      this.o.log({ level: 'warn', msg: 'acquirer callback abandoned', paymentid, type, status, attempts: n });
      return;
    }
    const waitMs = (this.o.retryBaseMs ?? 250) * 2 ** (n - 1);
    this.o.log({ msg: 'acquirer callback failed, sent again later', paymentid, type, status, attempt: n, waitMs });
    this.later(waitMs, () => void this.attempt(event, body, n + 1));
  }

  private later(ms: number, fn: () => void): void {
    const t = setTimeout(() => {
      this.timers.delete(t);
      fn();
    }, ms);
    this.timers.add(t);
  }
}
