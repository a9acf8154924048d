/** Where a provider sends its events and the secret it signs them with. */
export interface DeliveryEndpoint {
  url: string;
  secret: string;
}

/**
 * The ways delivery may disappoint the receiver, set by tests through the provider's /sim route:
 * every event late by `delayMs`, none sent (`drop`), each sent twice (`duplicate`), or, where
 * the provider offers it, those raised within `reorderWindowMs` of each other sent newest first
 * (`reorder`).
 */
export interface DeliveryFaults {
  delayMs: number;
  drop: boolean;
  duplicate: boolean;
  reorder?: boolean;
  reorderWindowMs?: number;
}

/** All the faults off; `reorderWindowMs` is the window used once `reorder` is set. */
export const NO_DELIVERY_FAULTS: Required<DeliveryFaults> = Object.freeze({ delayMs: 0, drop: false, duplicate: false, reorder: false, reorderWindowMs: 400 });

/** What was sent, for tests and the operator. */
export interface DeliveryCounts {
  /** Deliveries raised while there was somewhere to send them. */
  raised: number;
  /** Deliveries not sent at all (the drop fault). */
  dropped: number;
  /** Requests answered 2xx. */
  delivered: number;
  /** Requests answered otherwise, or not at all (each is tried again later, up to the last attempt). */
  failed: number;
  /** Deliveries given up after the last attempt. */
  abandoned: number;
}

/** One signed POST: built afresh at each attempt, so its signature carries the time of sending. */
export interface DeliveryRequest {
  url: string;
  headers: Record<string, string>;
  body: string;
}

/** What a provider's sender is started with; the retry settings default to the provider's own. */
export interface SenderOptions {
  endpoint: DeliveryEndpoint | null;
  /** Epoch milliseconds: the signature's time. */
  clock: () => number;
  log: (line: Record<string, unknown>) => void;
  /** The first retry's wait; each next one doubles. */
  retryBaseMs?: number;
  /** Attempts per delivery, the first included: bounded, so a receiver that is gone costs nothing for long. */
  maxAttempts?: number;
  /** Per-request timeout. */
  timeoutMs?: number;
}

export interface EventDeliveryOptions<F extends DeliveryFaults> {
  /** Names the deliveries in log lines: `<name> dropped (fault)`, `<name> abandoned`, … */
  name: string;
  endpoint: DeliveryEndpoint | null;
  faults: F;
  log: (line: Record<string, unknown>) => void;
  /** The first retry's wait; each next one doubles. */
  retryBaseMs: number;
  /** Attempts per delivery, the first included. */
  maxAttempts: number;
  /** Per-request timeout. */
  timeoutMs: number;
  /** How much later the duplicate fault's second copy goes. */
  duplicateAfterMs: number;
}

interface Queue<D> {
  items: D[];
  busy: boolean;
}

/**
 * The delivery the simulated providers share: each delivery is POSTed in the background, never
 * in the way of an answer; a non-2xx answer or none is tried again with doubling waits, each
 * attempt signed afresh, up to the last attempt. A provider says how a delivery is signed and
 * addressed (`request`) and named in the log (`describe`); one that promises order gives each
 * delivery an `orderKey`, and deliveries of one key then go one at a time, the later ones
 * waiting for the earlier one's retries. Without it, at least once and in no promised order.
 */
export abstract class EventDelivery<D, F extends DeliveryFaults> {
  endpoint: DeliveryEndpoint | null;
  faults: F;
  readonly counts: DeliveryCounts = { raised: 0, dropped: 0, delivered: 0, failed: 0, abandoned: 0 };
  protected closed = false;
  private readonly timers = new Set<NodeJS.Timeout>();
  private readonly queues = new Map<string, Queue<D>>();
  private held: D[] = [];

  protected constructor(private readonly settings: EventDeliveryOptions<F>) {
    this.endpoint = settings.endpoint;
    this.faults = settings.faults;
  }

  /** The request for one attempt; null when there is nowhere to send it any more. */
  protected abstract request(delivery: D): DeliveryRequest | null;

  /** The fields that name a delivery in log lines. */
  protected abstract describe(delivery: D): Record<string, unknown>;

  /** Deliveries of one key go in order; undefined sends each on its own. */
  protected orderKey(_delivery: D): string | undefined {
    return undefined;
  }

  /** Stops retries and timers; what is still held, queued or waiting is not sent. */
  close(): void {
    this.closed = true;
    for (const t of this.timers) clearTimeout(t);
    this.timers.clear();
    this.queues.clear();
    this.held = [];
  }

  /** Counts a delivery and sends it as the faults say; returns at once. */
  protected deliver(delivery: D): void {
    this.counts.raised += 1;
    if (this.faults.drop) {
      this.counts.dropped += 1;
      this.settings.log({ msg: `${this.settings.name} dropped (fault)`, ...this.describe(delivery) });
      return;
    }
    if (!this.faults.reorder) return this.schedule(delivery);
    // Held for the window, then sent newest first: the receiver sees them out of order.
    if (this.held.length === 0) this.later(this.faults.reorderWindowMs ?? 0, () => this.releaseHeld());
    this.held.push(delivery);
  }

  private releaseHeld(): void {
    const held = this.held.reverse();
    this.held = [];
    for (const d of held) this.schedule(d);
  }

  private schedule(delivery: D): void {
    this.later(this.faults.delayMs, () => this.start(delivery));
    // The duplicate goes as its own delivery, a moment later.
    if (this.faults.duplicate) this.later(this.faults.delayMs + this.settings.duplicateAfterMs, () => this.start(delivery));
  }

  private start(delivery: D): void {
    const key = this.orderKey(delivery);
    if (key === undefined) return void this.attempt(delivery, 1);
    let queue = this.queues.get(key);
    if (!queue) {
      queue = { items: [], busy: false };
      this.queues.set(key, queue);
    }
    queue.items.push(delivery);
    this.pump(key, queue, 1);
  }

  private async attempt(delivery: D, n: number): Promise<void> {
    if (this.closed) return;
    const req = this.request(delivery);
    if (!req) return;
    const waitMs = this.settle(delivery, await this.post(req), n);
    if (waitMs !== null) this.later(waitMs, () => void this.attempt(delivery, n + 1));
  }

  private pump(key: string, queue: Queue<D>, n: number): void {
    const head = queue.items[0];
    if (this.closed || queue.busy || !head) {
      if (!head) this.queues.delete(key);
      return;
    }
    const req = this.request(head);
    if (!req) {
      queue.items.shift();
      return this.pump(key, queue, 1);
    }
    queue.busy = true;
    void this.post(req).then((status) => {
      queue.busy = false;
      if (this.closed) return;
      const waitMs = this.settle(head, status, n);
      if (waitMs === null) {
        queue.items.shift();
        return this.pump(key, queue, 1);
      }
      queue.busy = true;
      this.later(waitMs, () => {
        queue.busy = false;
        this.pump(key, queue, n + 1);
      });
    });
  }

  /** Counts the answer to attempt `n`; the wait before the next attempt, or null when there is none. */
  private settle(delivery: D, status: number, n: number): number | null {
    if (status >= 200 && status < 300) {
      this.counts.delivered += 1;
      return null;
    }
    this.counts.failed += 1;
    const { name, log, maxAttempts, retryBaseMs } = this.settings;
    if (n >= maxAttempts) {
      this.counts.abandoned += 1;
      log({ level: 'warn', msg: `${name} abandoned`, ...this.describe(delivery), status, attempts: n });
      return null;
    }
    const waitMs = retryBaseMs * 2 ** (n - 1);
    log({ msg: `${name} failed, sent again later`, ...this.describe(delivery), status, attempt: n, waitMs });
    return waitMs;
  }

  /** The answer's status; 0 when there was none. */
  private async post(req: DeliveryRequest): Promise<number> {
    try {
      const res = await fetch(req.url, { method: 'POST', headers: req.headers, body: req.body, signal: AbortSignal.timeout(this.settings.timeoutMs) });
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
