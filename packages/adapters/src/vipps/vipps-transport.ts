import { request } from 'undici';
import { TransientError } from '../errors';

/** One HTTP exchange with Vipps MobilePay: what was sent. */
export interface VippsHttpRequest {
  method: 'GET' | 'POST';
  url: string;
  headers: Record<string, string>;
  body?: unknown;
  timeoutMs: number;
  signal?: AbortSignal;
}

/** Any answer that arrived, whatever its status. */
export interface VippsHttpResponse {
  status: number;
  /** Seconds or an HTTP date, as sent; null when absent. */
  retryAfter: string | null;
  text: string;
}

/**
 * One request with one deadline of our own. No answer (refused, reset, timed out) throws
 * TransientError; the caller's abort throws its reason, so an activity's cancellation stays one.
 */
export async function send(req: VippsHttpRequest): Promise<VippsHttpResponse> {
  if (req.signal?.aborted) throw req.signal.reason;
  const what = `${req.method} ${new URL(req.url).pathname}`;
  const abort = new AbortController();
  let timedOut = false;
  const timer = setTimeout(() => {
    timedOut = true;
    abort.abort();
  }, req.timeoutMs);
  const onCallerAbort = () => abort.abort();
  req.signal?.addEventListener('abort', onCallerAbort, { once: true });
  try {
    const res = await request(req.url, {
      method: req.method,
      headers: req.body === undefined ? req.headers : { ...req.headers, 'content-type': 'application/json' },
      body: req.body === undefined ? undefined : JSON.stringify(req.body),
      signal: abort.signal,
      headersTimeout: 0,
      bodyTimeout: 0,
    });
    const retryAfter = res.headers['retry-after'];
    return { status: res.statusCode, retryAfter: typeof retryAfter === 'string' ? retryAfter : null, text: await res.body.text() };
  } catch (err) {
    if (req.signal?.aborted) throw req.signal.reason;
    const why = timedOut ? 'no answer within the timeout' : err instanceof Error ? err.message : String(err);
    throw new TransientError(`${what}: ${why}`, null, { cause: err });
  } finally {
    clearTimeout(timer);
    req.signal?.removeEventListener('abort', onCallerAbort);
  }
}

/** Retry-After in milliseconds (delta-seconds or an HTTP date), or null when absent or unreadable. */
export function retryAfterMs(value: string | null, now: number = Date.now()): number | null {
  if (value === null || value.trim() === '') return null;
  if (/^\d+$/.test(value.trim())) return Number(value.trim()) * 1000;
  const at = Date.parse(value);
  return Number.isNaN(at) ? null : Math.max(0, at - now);
}
