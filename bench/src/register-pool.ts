import { Pool } from 'undici';
import type { Recorder, Route } from './recorder';

/** One answer, as a register reads it. */
export interface Answer {
  status: number;
  body: string;
  /** performance.now() at the last byte. */
  at: number;
  /** Refused by admission control (503 busy): the service shedding, not failing. */
  shed: boolean;
  /** Seconds the service asked to wait (Retry-After, on every 503). */
  retryAfterS?: number;
}

/** A 503 from admission control: "busy", with Retry-After. Anything else that is not a 200 is an error. */
const isShed = (status: number, retryAfter: unknown, body: string) =>
  status === 503 && typeof retryAfter === 'string' && /"error_code":"unavailable"/.test(body) && /busy/.test(body);

/** Sitoo's hard timeout on every call. */
const SITOO_TIMEOUT_MS = 10_000;

/**
 * The registers' side of the SPI: keep-alive connections in one undici Pool (one connection per
 * register at most, as each register holds its own), every request timed from send to last byte.
 */
export class RegisterPool {
  private readonly pool: Pool;
  private readonly auth: string;

  constructor(
    origin: string,
    credential: { username: string; password: string },
    private readonly recorder: Recorder,
    connections: number,
  ) {
    this.pool = new Pool(origin, {
      connections,
      pipelining: 1,
      keepAliveTimeout: 60_000,
      keepAliveMaxTimeout: 600_000,
      headersTimeout: SITOO_TIMEOUT_MS,
      bodyTimeout: SITOO_TIMEOUT_MS,
    });
    this.auth = `Basic ${Buffer.from(`${credential.username}:${credential.password}`).toString('base64')}`;
  }

  async call(route: Route, path: string, registerId: string, body?: string): Promise<Answer> {
    const headers: Record<string, string> = { authorization: this.auth, 'register-id': registerId };
    if (body !== undefined) headers['content-type'] = 'application/json';
    const started = performance.now();
    try {
      const res = await this.pool.request({ method: route, path, headers, body });
      const text = await res.body.text();
      const at = performance.now();
      const ok = res.statusCode === 200;
      this.recorder.request(route, started, at - started, ok, text.length);
      const retryAfter = res.headers['retry-after'];
      const shed = isShed(res.statusCode, retryAfter, text);
      if (shed) this.recorder.shed(route, started);
      else if (!ok) this.recorder.error(route, started, `${res.statusCode} ${text.slice(0, 160)}`);
      return { status: res.statusCode, body: text, at, shed, ...(typeof retryAfter === 'string' ? { retryAfterS: Number(retryAfter) || 1 } : {}) };
    } catch (err) {
      const at = performance.now();
      this.recorder.request(route, started, at - started, false, 0);
      this.recorder.error(route, started, `transport: ${(err as Error).message}`);
      return { status: 0, body: '', at, shed: false };
    }
  }

  close(): Promise<void> {
    return this.pool.close();
  }
}
