import { Compile } from 'typebox/compile';
import { TerminalTransactionBody, type StartTransactionBody } from '@payments/contract/wire';
import { NotFoundError, RejectedError, TerminalBusyError, TransientError } from './errors';
import { describe, requestJson, type HttpClientOptions, type JsonResponse } from './http-json';
import type { StartTransaction, Terminal, TerminalTransaction } from './terminal';

const checkTransaction = Compile(TerminalTransactionBody);

/** The transaction in an answer; a body that is not one is a transient fault. */
function asTransaction(res: JsonResponse): TerminalTransaction {
  if (!checkTransaction.Check(res.body)) throw new TransientError(`the terminal answered ${res.status} without a transaction`, res.status);
  return res.body;
}

function rejected(res: JsonResponse): RejectedError {
  const { code, message, reference } = describe(res);
  if (res.status === 404) return new NotFoundError(message);
  if (res.status === 409 && code === 'busy') return new TerminalBusyError(message, reference);
  return new RejectedError(message, res.status, code);
}

const seg = encodeURIComponent;

/** The registers' card terminals over HTTP (apps/simulator/README.md). */
export class HttpTerminal implements Terminal {
  constructor(private readonly options: HttpClientOptions) {}

  async start(tx: StartTransaction, options: { signal?: AbortSignal } = {}): Promise<TerminalTransaction> {
    const { posid, ...start } = tx;
    const body: StartTransactionBody = start;
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
