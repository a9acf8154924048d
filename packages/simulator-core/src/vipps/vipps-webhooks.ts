import { createHash, createHmac } from 'node:crypto';
import type { VippsWebhookEvent } from '@payments/contract/wire';
import { amountOf, type VippsEventRecord, type VippsPaymentRecord, type VippsWebhookRegistration } from './vipps-state';

/** Where every ePayment event of every sales unit goes (SIM_VIPPS_WEBHOOK_URL/SECRET), besides registered webhooks. */
export interface VippsWebhookEndpoint {
  url: string;
  secret: string;
}

/**
 * The ways delivery may disappoint a receiver, set by tests (POST /sim/vipps/webhooks): every
 * event late by `delayMs`, none sent (`drop`), each sent twice (`duplicate`), or those raised
 * within `reorderWindowMs` of each other sent newest first (`reorder`).
 */
export interface VippsWebhookFaults {
  delayMs: number;
  drop: boolean;
  duplicate: boolean;
  reorder: boolean;
  reorderWindowMs: number;
}

export const NO_VIPPS_WEBHOOK_FAULTS: VippsWebhookFaults = Object.freeze({ delayMs: 0, drop: false, duplicate: false, reorder: false, reorderWindowMs: 400 });

/** What was sent, for tests and the operator. */
export interface VippsWebhookCounts {
  raised: number;
  dropped: number;
  delivered: number;
  failed: number;
  abandoned: number;
}

export interface VippsWebhooksOptions {
  endpoint: VippsWebhookEndpoint | null;
  clock: () => number;
  log: (line: Record<string, unknown>) => void;
  /** The registered webhooks (POST /webhooks/v1/webhooks), read at each event. */
  registrations: () => VippsWebhookRegistration[];
  /** The first retry's wait; each next one doubles (Vipps: backoff over up to 7 days; here milliseconds). */
  retryBaseMs?: number;
  /** Attempts per delivery, the first included. */
  maxAttempts?: number;
  timeoutMs?: number;
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

interface Delivery {
  url: string;
  secret: string;
  body: string;
  type: string;
  reference: string;
}

interface Queue {
  items: Delivery[];
  busy: boolean;
}

/**
 * Vipps's webhook delivery: each payment event becomes a JSON body (msn, reference, pspReference,
 * name, amount, timestamp, idempotencyKey, success) POSTed, signed, to the endpoint set at start
 * and to each registered webhook of the payment's sales unit that asked for its type. As Vipps
 * promises, deliveries of one payment to one URL go in order: one not answered 2xx is tried
 * again with doubling waits, and the later ones of that payment wait for it.
 */
export class VippsWebhooks {
  endpoint: VippsWebhookEndpoint | null;
  faults: VippsWebhookFaults = { ...NO_VIPPS_WEBHOOK_FAULTS };
  readonly counts: VippsWebhookCounts = { raised: 0, dropped: 0, delivered: 0, failed: 0, abandoned: 0 };
  private readonly queues = new Map<string, Queue>();
  private readonly timers = new Set<NodeJS.Timeout>();
  private held: Delivery[] = [];
  private closed = false;

  constructor(private readonly o: VippsWebhooksOptions) {
    this.endpoint = o.endpoint;
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
    for (const target of targets) {
      this.counts.raised += 1;
      const delivery: Delivery = { url: target.url, secret: target.secret, body, type, reference: rec.reference };
      if (this.faults.drop) {
        this.counts.dropped += 1;
        this.o.log({ msg: 'vipps webhook dropped (fault)', type, reference: rec.reference });
        continue;
      }
      if (!this.faults.reorder) {
        this.schedule(delivery);
        continue;
      }
      // Held for the window, then queued newest first: the receiver sees them out of order.
      if (this.held.length === 0) this.later(this.faults.reorderWindowMs, () => this.releaseHeld());
      this.held.push(delivery);
    }
  }

  /** Stops retries and timers; what is still queued is not sent. */
  close(): void {
    this.closed = true;
    for (const t of this.timers) clearTimeout(t);
    this.timers.clear();
    this.queues.clear();
    this.held = [];
  }

  private releaseHeld(): void {
    const held = this.held.reverse();
    this.held = [];
    for (const d of held) this.schedule(d);
  }

  private schedule(delivery: Delivery): void {
    this.later(this.faults.delayMs, () => this.enqueue(delivery));
    if (this.faults.duplicate) this.later(this.faults.delayMs + 50, () => this.enqueue(delivery));
  }

  private enqueue(delivery: Delivery): void {
    const key = `${delivery.url} ${delivery.reference}`;
    let queue = this.queues.get(key);
    if (!queue) {
      queue = { items: [], busy: false };
      this.queues.set(key, queue);
    }
    queue.items.push(delivery);
    this.pump(key, queue, 1);
  }

  private pump(key: string, queue: Queue, attempt: number): void {
    const head = queue.items[0];
    if (this.closed || queue.busy || !head) {
      if (!head) this.queues.delete(key);
      return;
    }
    queue.busy = true;
    void this.send(head).then((status) => {
      queue.busy = false;
      if (this.closed) return;
      if (status >= 200 && status < 300) {
        this.counts.delivered += 1;
        queue.items.shift();
        return this.pump(key, queue, 1);
      }
      this.counts.failed += 1;
      const max = this.o.maxAttempts ?? 8;
      if (attempt >= max) {
        this.counts.abandoned += 1;
        this.o.log({ level: 'warn', msg: 'vipps webhook abandoned', type: head.type, reference: head.reference, status, attempts: attempt });
        queue.items.shift();
        return this.pump(key, queue, 1);
      }
      const waitMs = (this.o.retryBaseMs ?? 500) * 2 ** (attempt - 1);
      this.o.log({ msg: 'vipps webhook failed, sent again later', type: head.type, reference: head.reference, status, attempt, waitMs });
      queue.busy = true;
      this.later(waitMs, () => {
        queue.busy = false;
        this.pump(key, queue, attempt + 1);
      });
    });
  }

  private async send(d: Delivery): Promise<number> {
    // Signed afresh at each attempt: x-ms-date is the time of sending.
    const headers = vippsWebhookHeaders({ secret: d.secret, url: d.url, body: d.body, date: new Date(this.o.clock()) });
    try {
      const res = await fetch(d.url, {
        method: 'POST',
        headers: { 'content-type': 'application/json', ...headers },
        body: d.body,
        signal: AbortSignal.timeout(this.o.timeoutMs ?? 10_000),
      });
      await res.arrayBuffer();
      return res.status;
    } catch {
      return 0;
    }
  }

  private later(ms: number, fn: () => void): void {
    const t = setTimeout(() => {
      this.timers.delete(t);
      fn();
    }, ms);
    this.timers.add(t);
  }
}
