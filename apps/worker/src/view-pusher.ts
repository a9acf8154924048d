import { request } from 'undici';
import { VIEW_PUSH_PATH } from '@payments/config';
import { SIGNATURE_HEADER, signCallback } from '@payments/contract/signature';
import type { VersionedView } from '@payments/workflow';

export interface ViewPusherOptions {
  /** The push listener of every API instance. */
  urls: readonly string[];
  secret: string;
  /** Views arriving within this many ms go out in one request. */
  batchMs?: number;
  /** Attempts per batch before its views are dropped (the API then checks with a query). */
  attempts?: number;
  /** Per-request timeout. */
  timeoutMs?: number;
  /** Told of every batch sent or given up, for the worker's metrics. */
  count?: (outcome: 'sent' | 'dropped', views: number) => void;
  warn?: (msg: string, fields: Record<string, unknown>) => void;
}

/**
 * Hands each new view of a payment to one API instance: the newest version per payment, in
 * small signed batches over keep-alive connections. Best effort by design: a view that cannot
 * be delivered after a few attempts is dropped, and the API, which answers from a pushed view
 * only for VIEW_TRUST_MS before it checks it with a query, never shows it stale for longer.
 */
class PushTarget {
  private pending = new Map<string, VersionedView>();
  private timer: NodeJS.Timeout | null = null;
  private readonly inFlight = new Set<Promise<void>>();
  private lastWarning = 0;

  constructor(
    private readonly url: string,
    private readonly o: Required<Omit<ViewPusherOptions, 'urls' | 'count' | 'warn'>> & Pick<ViewPusherOptions, 'count' | 'warn'>,
  ) {}

  add(view: VersionedView): void {
    const held = this.pending.get(view.paymentid);
    if (held && held.version >= view.version) return;
    this.pending.set(view.paymentid, view);
    this.timer ??= setTimeout(() => this.flush(), this.o.batchMs);
  }

  private flush(attempt = 1, views?: VersionedView[]): void {
    if (!views) this.timer = null;
    const batch = views ?? [...this.pending.values()];
    if (!views) this.pending = new Map();
    if (batch.length === 0) return;
    const sending = this.send(batch).then(
      () => this.o.count?.('sent', batch.length),
      (err: unknown) => this.failed(batch, attempt, err),
    );
    this.inFlight.add(sending);
    void sending.finally(() => this.inFlight.delete(sending));
  }

  private async send(batch: VersionedView[]): Promise<void> {
    const body = JSON.stringify(batch);
    // undici's request, not fetch: a third of the CPU per call (see requestJson in @payments/adapters).
    const res = await request(`${this.url}${VIEW_PUSH_PATH}`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', [SIGNATURE_HEADER]: signCallback(this.o.secret, body, Math.floor(Date.now() / 1000)) },
      body,
      headersTimeout: this.o.timeoutMs,
      bodyTimeout: this.o.timeoutMs,
    });
    await res.body.dump(); // frees the connection for the next batch
    if (res.statusCode !== 204) throw new Error(`the API answered ${res.statusCode}`);
  }

  private failed(batch: VersionedView[], attempt: number, err: unknown): void {
    // Views superseded while this batch was out are not sent again.
    const current = batch.filter((v) => !this.pending.has(v.paymentid));
    if (current.length === 0) return;
    if (attempt < this.o.attempts) {
      setTimeout(() => this.flush(attempt + 1, current), 100 * 2 ** attempt).unref();
      return;
    }
    this.o.count?.('dropped', current.length);
    const now = Date.now();
    if (now - this.lastWarning > 10_000) {
      this.lastWarning = now;
      this.o.warn?.('views could not be pushed to the API; its polls fall back to queries', {
        url: this.url,
        views: current.length,
        err: err instanceof Error ? err.message : String(err),
      });
    }
  }

  /** Sends what is held and waits for what is out. */
  async drain(): Promise<void> {
    if (this.timer) clearTimeout(this.timer);
    this.flush();
    await Promise.allSettled([...this.inFlight]);
  }
}

/** One PushTarget per API instance: every instance keeps its own copy of every view. */
export class ViewPusher {
  private readonly targets: PushTarget[];

  constructor(o: ViewPusherOptions) {
    const settings = { secret: o.secret, batchMs: o.batchMs ?? 2, attempts: o.attempts ?? 3, timeoutMs: o.timeoutMs ?? 2000, count: o.count, warn: o.warn };
    this.targets = o.urls.map((url) => new PushTarget(url.replace(/\/+$/, ''), settings));
  }

  push(view: VersionedView): void {
    for (const t of this.targets) t.add(view);
  }

  async drain(): Promise<void> {
    await Promise.all(this.targets.map((t) => t.drain()));
  }
}
