import { NotFoundError, RejectedError, TerminalBusyError, TransientError } from './errors';
import { describe, requestJson, type HttpClientOptions, type JsonResponse } from './http-json';
import type { StartTransaction, Terminal, TerminalTransaction } from './terminal';

const STATUSES = new Set(['prompting', 'card_read', 'cancelled', 'timeout', 'declined']);

function asTransaction(res: JsonResponse): TerminalTransaction {
  const b = res.body;
  if (typeof b.reference !== 'string' || typeof b.prompt !== 'string' || typeof b.status !== 'string' || !STATUSES.has(b.status)) {
    throw new TransientError(`the terminal answered ${res.status} without a transaction`, res.status);
  }
  return b as unknown as TerminalTransaction;
}

function rejected(res: JsonResponse): RejectedError {
  const { code, message } = describe(res);
  if (res.status === 404) return new NotFoundError(message);
  if (res.status === 409 && code === 'busy') return new TerminalBusyError(message, typeof res.body.reference === 'string' ? res.body.reference : null);
  return new RejectedError(message, res.status, code);
}

const seg = encodeURIComponent;

/** The registers' card terminals over HTTP (apps/simulator/README.md). */
export class HttpTerminal implements Terminal {
  constructor(private readonly options: HttpClientOptions) {}

  async start(tx: StartTransaction, options: { signal?: AbortSignal } = {}): Promise<TerminalTransaction> {
    const { posid, ...body } = tx;
    const res = await requestJson(this.options, {
      method: 'POST',
      path: `/terminal/v1/${seg(posid)}/transactions`,
      body,
      signal: options.signal,
    });
    if (res.status >= 300) throw rejected(res);
    return asTransaction(res);
  }

  async get(
    posid: string,
    reference: string,
    options: { waitMs?: number; after?: string; signal?: AbortSignal } = {},
  ): Promise<TerminalTransaction> {
    const waitMs = options.waitMs ?? 0;
    const query = new URLSearchParams();
    if (waitMs > 0) query.set('waitMs', String(waitMs));
    if (options.after !== undefined) query.set('after', options.after);
    const qs = query.size > 0 ? `?${query.toString()}` : '';
    const res = await requestJson(this.options, {
      method: 'GET',
      path: `/terminal/v1/${seg(posid)}/transactions/${seg(reference)}${qs}`,
      signal: options.signal,
      waitMs,
    });
    if (res.status >= 300) throw rejected(res);
    return asTransaction(res);
  }

  async cancel(posid: string, reference: string, options: { signal?: AbortSignal } = {}): Promise<TerminalTransaction | null> {
    const res = await requestJson(this.options, {
      method: 'POST',
      path: `/terminal/v1/${seg(posid)}/transactions/${seg(reference)}/cancel`,
      body: {},
      signal: options.signal,
    });
    if (res.status === 404) return null;
    if (res.status >= 300) throw rejected(res);
    return asTransaction(res);
  }
}

/** A Terminal over HTTP at baseUrl; each call gives up after timeoutMs (plus a long-poll's wait). */
export function createHttpTerminal(options: HttpClientOptions): Terminal {
  return new HttpTerminal(options);
}
