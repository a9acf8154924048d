import { Compile } from 'typebox/compile';
import { request } from 'undici';
import { WireErrorBody } from '@payments/contract/wire';
import { TransientError } from './errors';

const checkError = Compile(WireErrorBody);

/** Where a client sends its calls, and how long one call may take (long-polls add their wait). */
export interface HttpClientOptions {
  baseUrl: string;
  timeoutMs: number;
}

export interface JsonRequest {
  method: 'GET' | 'POST';
  path: string;
  body?: unknown;
  idempotencyKey?: string;
  signal?: AbortSignal;
  /** Added to the timeout: the time a long-poll may wait. */
  waitMs?: number;
}

/** A definitive HTTP answer (below 500, not 429) with its parsed JSON body. */
export interface JsonResponse {
  status: number;
  body: Record<string, unknown>;
}

/**
 * One JSON call with a deadline. No answer, a timeout, 5xx or 429 throw TransientError; when the
 * caller's own signal aborts, its reason is thrown (an activity's CancelledFailure stays one).
 *
 * Over undici's request rather than global fetch, with one timer of our own rather than
 * AbortSignal.timeout and AbortSignal.any: the same call for about a third of the CPU (the
 * worker makes several per payment; `npm run bench` counts its CPU-ms per payment).
 */
export async function requestJson(options: HttpClientOptions, req: JsonRequest): Promise<JsonResponse> {
  const headers: Record<string, string> = { accept: 'application/json' };
  if (req.body !== undefined) headers['content-type'] = 'application/json';
  if (req.idempotencyKey !== undefined) headers['idempotency-key'] = req.idempotencyKey;
  const what = `${req.method} ${req.path}`;
  if (req.signal?.aborted) throw req.signal.reason;

  const abort = new AbortController();
  let timedOut = false;
  const timer = setTimeout(() => {
    timedOut = true;
    abort.abort();
  }, options.timeoutMs + (req.waitMs ?? 0));
  const onCallerAbort = () => abort.abort();
  req.signal?.addEventListener('abort', onCallerAbort, { once: true });
  let status: number;
  let text: string;
  try {
    const res = await request(`${options.baseUrl.replace(/\/+$/, '')}${req.path}`, {
      method: req.method,
      headers,
      body: req.body === undefined ? undefined : JSON.stringify(req.body),
      signal: abort.signal,
      // The deadline is the timer's; undici's own per-phase timeouts would cut a long-poll short.
      headersTimeout: 0,
      bodyTimeout: 0,
    });
    status = res.statusCode;
    text = await res.body.text();
  } catch (err) {
    if (req.signal?.aborted) throw req.signal.reason;
    if (timedOut) throw new TransientError(`${what}: no answer within the timeout`, null, { cause: err });
    throw new TransientError(`${what}: ${err instanceof Error ? err.message : String(err)}`, null, { cause: err });
  } finally {
    clearTimeout(timer);
    req.signal?.removeEventListener('abort', onCallerAbort);
  }

  if (status >= 500 || status === 429) throw new TransientError(`${what}: ${status} ${text.slice(0, 200)}`, status);
  let body: unknown;
  try {
    body = text === '' ? {} : JSON.parse(text);
  } catch {
    // Something other than the acquirer answered (a proxy's page, say): worth another try.
    throw new TransientError(`${what}: ${status} with a body that is not JSON`, status);
  }
  if (typeof body !== 'object' || body === null || Array.isArray(body)) throw new TransientError(`${what}: ${status} with an unexpected body`, status);
  return { status, body: body as Record<string, unknown> };
}

/** An error answer's `error` and `message` (`http-<status>` for a body that is not one), and the reference it names. */
export function describe(res: JsonResponse): { code: string; message: string; reference: string | null } {
  if (checkError.Check(res.body)) return { code: res.body.error, message: res.body.message, reference: res.body.reference ?? null };
  const code = `http-${res.status}`;
  return { code, message: code, reference: null };
}
