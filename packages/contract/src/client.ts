import { Compile } from 'typebox/compile';
import { isErrorCode, type ErrorCode } from './errors';
import { D } from './fields';
import { ErrorBody, Payment, type PaymentRequest, type PaymentStateName, type TargetState } from './schemas';

const checkPayment = Compile(Payment);
const checkErrorBody = Compile(ErrorBody);

/** Sitoo POS gives up on a call after 10 s; the client does the same by default. */
export const SPI_CALL_TIMEOUT_MS = 10_000;
/** How often waitForState polls by default: what a register's loop does. */
export const SPI_POLL_INTERVAL_MS = 250;

export interface SpiClientOptions {
  /** Where the SPI routes sit, e.g. `http://127.0.0.1:3000` (a path prefix is kept). */
  baseUrl: string;
  username: string;
  password: string;
  /** A fetch implementation; the global one by default. */
  fetch?: typeof fetch;
  /** Per-call timeout; 10 s by default, like Sitoo POS. */
  timeoutMs?: number;
  /** Sent with every call, e.g. Sitoo's optional `Store-ID`, `Staff-ID`, `Register-ID`. */
  headers?: Record<string, string>;
}

export interface WaitOptions {
  /** Time between polls; 250 ms by default. */
  intervalMs?: number;
  /** Give up after this long with an SpiClientError of reason `timeout`; 10 minutes by default. */
  timeoutMs?: number;
  /** Called with every payment read, in order, before it is compared with the wanted states. */
  onPoll?: (payment: Payment) => void;
  /** Called when a poll fails transiently (no answer, 429, 503); polling goes on. */
  onRetry?: (error: SpiClientError) => void;
  signal?: AbortSignal;
}

/** Why a call failed: an error answer from the service, no answer at all, an answer that breaks the contract, or a wait that ran out. */
export type SpiFailure = 'http' | 'network' | 'invalid-response' | 'timeout';

/** A failed SPI call. For `http` failures `body` is the contract's error body and `code` its error_code. */
export class SpiClientError extends Error {
  override readonly name = 'SpiClientError';
  /** The HTTP status, or 0 when there was no HTTP answer. */
  readonly status: number;
  /** The error body the service sent, when it sent one that fits the contract. */
  readonly body: ErrorBody | undefined;
  readonly reason: SpiFailure;

  constructor(reason: SpiFailure, message: string, options: { status?: number; body?: ErrorBody; cause?: unknown } = {}) {
    super(message, options.cause === undefined ? undefined : { cause: options.cause });
    this.reason = reason;
    this.status = options.status ?? 0;
    this.body = options.body;
  }

  /** The contract's error code, when the service answered with an error body. */
  get code(): ErrorCode | undefined {
    return this.body?.error_code;
  }

  /** Worth trying again: no answer, or the service said 429 / 503. */
  get transient(): boolean {
    return this.reason === 'network' || this.status === 429 || this.status === 503;
  }
}

/** A typed client of the SPI, as Sitoo POS uses it. */
export interface SpiClient {
  /** POST /payments; resolves to the new paymentid. */
  startPayment(request: PaymentRequest, options?: { idempotencyKey?: string }): Promise<string>;
  /** GET /payments/{paymentid}. */
  getPayment(paymentid: string): Promise<Payment>;
  /** PUT /payments/{paymentid}: `completed` acknowledges, `cancelled` cancels (and reverses). */
  setState(paymentid: string, state: TargetState): Promise<Payment>;
  /** Polls GET until the state is one of `states`; transient failures are retried until the timeout. */
  waitForState(paymentid: string, states: PaymentStateName | readonly PaymentStateName[], options?: WaitOptions): Promise<Payment>;
}

function basicAuth(username: string, password: string): string {
  const bytes = new TextEncoder().encode(`${username}:${password}`);
  return `Basic ${btoa(String.fromCharCode(...bytes))}`;
}

const sleep = (ms: number, signal?: AbortSignal) =>
  new Promise<void>((resolve, reject) => {
    if (signal?.aborted) return reject(signal.reason as Error);
    const timer = setTimeout(() => {
      signal?.removeEventListener('abort', onAbort);
      resolve();
    }, ms);
    const onAbort = () => {
      clearTimeout(timer);
      reject(signal?.reason as Error);
    };
    signal?.addEventListener('abort', onAbort, { once: true });
  });

/** Creates the client. Nothing is sent until a method is called. */
export function createSpiClient(options: SpiClientOptions): SpiClient {
  const base = options.baseUrl.replace(/\/+$/, '');
  const doFetch = options.fetch ?? globalThis.fetch;
  const timeoutMs = options.timeoutMs ?? SPI_CALL_TIMEOUT_MS;
  const authorization = basicAuth(options.username, options.password);

  async function call(method: string, path: string, body?: unknown, headers: Record<string, string> = {}): Promise<unknown> {
    let res: Response;
    let text: string;
    try {
      res = await doFetch(`${base}${path}`, {
        method,
        headers: {
          ...options.headers,
          ...headers,
          authorization,
          accept: 'application/json',
          ...(body === undefined ? {} : { 'content-type': 'application/json' }),
        },
        body: body === undefined ? undefined : JSON.stringify(body),
        signal: AbortSignal.timeout(timeoutMs),
      });
      text = await res.text();
    } catch (err) {
      throw new SpiClientError('network', `${method} ${path}: no answer (${err instanceof Error ? err.message : String(err)})`, { cause: err });
    }
    let parsed: unknown;
    try {
      parsed = text === '' ? undefined : JSON.parse(text);
    } catch {
      parsed = undefined;
    }
    if (!res.ok) {
      const errorBody = checkErrorBody.Check(parsed) && isErrorCode(parsed.error_code) ? parsed : undefined;
      const detail = errorBody ? `${errorBody.error_code}: ${errorBody.error_data.message}` : `HTTP ${res.status}`;
      throw new SpiClientError('http', `${method} ${path} → ${res.status} ${detail}`, { status: res.status, body: errorBody });
    }
    if (parsed === undefined) {
      throw new SpiClientError('invalid-response', `${method} ${path} → ${res.status} without a JSON body`, { status: res.status });
    }
    return parsed;
  }

  const paymentPath = (paymentid: string) => `/payments/${encodeURIComponent(paymentid)}`;

  function asPayment(value: unknown, what: string): Payment {
    if (!checkPayment.Check(value)) {
      const [first] = checkPayment.Errors(value);
      throw new SpiClientError('invalid-response', `${what}: the answer is not a payment (${first ? `${first.instancePath} ${first.message}` : 'invalid'})`, {
        status: 200,
      });
    }
    return value;
  }

  const client: SpiClient = {
    async startPayment(request, { idempotencyKey } = {}) {
      const headers = idempotencyKey === undefined ? undefined : { [D.idempotencyKey]: idempotencyKey };
      const id = await call('POST', '/payments', request, headers);
      if (typeof id !== 'string' || id === '') {
        throw new SpiClientError('invalid-response', 'POST /payments: the answer is not a paymentid string', { status: 200 });
      }
      return id;
    },

    async getPayment(paymentid) {
      return asPayment(await call('GET', paymentPath(paymentid)), `GET ${paymentPath(paymentid)}`);
    },

    async setState(paymentid, state) {
      const body = { paymentstate: { state } };
      return asPayment(await call('PUT', paymentPath(paymentid), body), `PUT ${paymentPath(paymentid)}`);
    },

    async waitForState(paymentid, states, waitOptions = {}) {
      const wanted: readonly PaymentStateName[] = typeof states === 'string' ? [states] : states;
      const interval = waitOptions.intervalMs ?? SPI_POLL_INTERVAL_MS;
      const deadline = Date.now() + (waitOptions.timeoutMs ?? 10 * 60_000);
      for (;;) {
        waitOptions.signal?.throwIfAborted();
        try {
          const payment = await client.getPayment(paymentid);
          waitOptions.onPoll?.(payment);
          if (wanted.includes(payment.paymentstate.state)) return payment;
        } catch (err) {
          if (!(err instanceof SpiClientError) || !err.transient) throw err;
          waitOptions.onRetry?.(err);
        }
        if (Date.now() + interval > deadline) {
          throw new SpiClientError('timeout', `payment ${paymentid} did not reach ${wanted.join(' or ')} in time`);
        }
        await sleep(interval, waitOptions.signal);
      }
    },
  };
  return client;
}
