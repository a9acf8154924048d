// A register as Sitoo POS behaves: POST a payment, poll GET, PUT the state. Speaks HTTP only.
import type { Payment } from '@payments/contract';
import { eventually } from './system';

export interface Reply<T = unknown> {
  status: number;
  body: T;
  headers: Headers;
}

export const DEMO = { username: 'demo', password: 'demo' };

/** A payment request as Sitoo sends it (the one body builder the tests and the bench share). */
export { paymentRequest } from '@payments/testing';

export class Register {
  constructor(
    private readonly baseUrl: string,
    private readonly credentials = DEMO,
    /** Sent on every call: a Register-ID, or X-Forwarded-For to stand behind a store's address. */
    private readonly headers: Record<string, string> = {},
  ) {}

  async call<T = unknown>(method: string, path: string, body?: unknown, headers: Record<string, string> = {}): Promise<Reply<T>> {
    const auth = Buffer.from(`${this.credentials.username}:${this.credentials.password}`).toString('base64');
    const res = await fetch(`${this.baseUrl}${path}`, {
      method,
      headers: {
        authorization: `Basic ${auth}`,
        ...this.headers,
        ...(body === undefined ? {} : { 'content-type': 'application/json' }),
        ...headers,
      },
      body: body === undefined ? undefined : typeof body === 'string' ? body : JSON.stringify(body),
      signal: AbortSignal.timeout(10_000), // Sitoo POS's own hard timeout
    });
    const text = await res.text();
    return { status: res.status, body: (text ? JSON.parse(text) : undefined) as T, headers: res.headers };
  }

  /** POST /payments; returns the paymentid (the body is a bare JSON string). */
  async start(body: Record<string, unknown>, headers: Record<string, string> = {}): Promise<string> {
    const reply = await this.call<string>('POST', '/payments', body, headers);
    if (reply.status !== 200) throw new Error(`POST /payments → ${reply.status} ${JSON.stringify(reply.body)}`);
    return reply.body;
  }

  /** POST as Sitoo POS sends it under load: a shed 503 (admission control) is sent again after its Retry-After. */
  async startRetryingShed(body: Record<string, unknown>, timeoutMs = 60_000): Promise<string> {
    const until = Date.now() + timeoutMs;
    for (;;) {
      const reply = await this.call<string>('POST', '/payments', body);
      if (reply.status === 200) return reply.body;
      if (reply.status !== 503 || Date.now() > until) throw new Error(`POST /payments → ${reply.status} ${JSON.stringify(reply.body)}`);
      await new Promise((r) => setTimeout(r, Number(reply.headers.get('retry-after') ?? '1') * 1000));
    }
  }

  get(id: string): Promise<Reply<Payment>> {
    return this.call<Payment>('GET', `/payments/${encodeURIComponent(id)}`);
  }

  put(id: string, state: string, path = 'payments'): Promise<Reply<Payment>> {
    return this.call<Payment>('PUT', `/${path}/${encodeURIComponent(id)}`, { paymentstate: { state } });
  }

  /** Polls GET like the register's loop until the state is one of `states`. */
  async until(id: string, states: string[], timeoutMs = 30_000): Promise<Payment> {
    const reply = await eventually(
      () => this.get(id),
      (r) => r.status === 200 && states.includes(r.body.paymentstate.state),
      timeoutMs,
      100,
    );
    return reply.body;
  }
}

/** The simulator's ledger entry for a payment: the money that really moved. */
export interface LedgerEntry {
  /** Taken from the payer when the register completed (two-step money: held at approval, captured at confirm). */
  capturedMinor: number;
  reversedMinor: number;
  refundedMinor: number;
  /** Held at approval; released (voided) when the payment ends before the register completes it. */
  authorizedMinor: number;
  voidedMinor: number;
  status: string;
  kind?: string;
  amountMinor?: number;
  reversal?: string;
  confirmed?: boolean;
  events: { type: string }[];
}

export async function ledger(simUrl: string, paymentid: string): Promise<LedgerEntry | undefined> {
  const res = await fetch(`${simUrl}/sim/ledger`);
  const body = (await res.json()) as { payments: Record<string, LedgerEntry> };
  return body.payments[paymentid];
}

/** The whole ledger, keyed by paymentid (the acquirer's reference). */
export async function fullLedger(simUrl: string): Promise<Record<string, LedgerEntry>> {
  const res = await fetch(`${simUrl}/sim/ledger`, { signal: AbortSignal.timeout(10_000) });
  const body = (await res.json()) as { payments: Record<string, LedgerEntry> };
  return body.payments;
}

/** Takes the simulated acquirer down (every /acquirer call answers 503), or up; with forMs it comes back by itself. */
export async function setAcquirerDown(simUrl: string, down: boolean, forMs?: number): Promise<void> {
  const res = await fetch(`${simUrl}/sim/faults`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify(forMs === undefined ? { down } : { down, forMs }),
  });
  if (!res.ok) throw new Error(`POST /sim/faults → ${res.status}`);
}

/** How many events of a type the ledger holds for a payment: the proof of "exactly once". */
export function countEvents(entry: LedgerEntry | undefined, type: string): number {
  return entry?.events.filter((e) => e.type === type).length ?? 0;
}
