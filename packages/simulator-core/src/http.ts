import type { Context } from 'koa';
import { SimError } from './sim-error';

/** Long-polls wait at most this long, so a proxy or client timeout never cuts one off. */
export const MAX_WAIT_MS = 25_000;

const BODY_LIMIT = 64 * 1024;

/** Reads a JSON object body (no body-parser dependency); 400 when it is not one. */
export async function readJson(ctx: Context): Promise<Record<string, unknown>> {
  const chunks: Buffer[] = [];
  let size = 0;
  for await (const chunk of ctx.req) {
    const buf = chunk as Buffer;
    size += buf.length;
    if (size > BODY_LIMIT) throw new SimError(413, 'payload-too-large', `bodies are limited to ${BODY_LIMIT} bytes`);
    chunks.push(buf);
  }
  const text = Buffer.concat(chunks).toString('utf8');
  if (text.trim() === '') return {};
  let body: unknown;
  try {
    body = JSON.parse(text);
  } catch {
    throw new SimError(400, 'bad-request', 'the body is not valid JSON');
  }
  if (typeof body !== 'object' || body === null || Array.isArray(body)) throw new SimError(400, 'bad-request', 'the body must be a JSON object');
  return body as Record<string, unknown>;
}

/** The caller's Idempotency-Key; every acquirer POST requires one. */
export function idempotencyKey(ctx: Context): string {
  const key = ctx.get('idempotency-key');
  if (!key || key.length > 255) throw new SimError(400, 'bad-request', 'the Idempotency-Key header is required (at most 255 characters)');
  return key;
}

/** `?waitMs=N`, capped at MAX_WAIT_MS; 0 when absent. */
export function waitMs(ctx: Context): number {
  const raw = ctx.query.waitMs;
  if (raw === undefined) return 0;
  const n = Number(raw);
  if (typeof raw !== 'string' || !Number.isInteger(n) || n < 0) throw new SimError(400, 'bad-request', 'waitMs must be a whole number');
  return Math.min(n, MAX_WAIT_MS);
}

/** Whether the request comes from this machine: fault controls are for local tests only. */
export function fromLoopback(ctx: Context): boolean {
  const ip = ctx.req.socket.remoteAddress ?? '';
  return ip === '127.0.0.1' || ip === '::1' || ip === '::ffff:127.0.0.1';
}

/** Field readers for request bodies: each throws a 400 naming the field. */
export const field = {
  string(body: Record<string, unknown>, name: string, max = 128): string {
    const v = body[name];
    if (typeof v !== 'string' || v === '' || v.length > max) throw new SimError(400, 'bad-request', `${name} must be a non-empty string of at most ${max} characters`);
    return v;
  },
  optionalString(body: Record<string, unknown>, name: string, max = 128): string | null {
    return body[name] === undefined || body[name] === null ? null : field.string(body, name, max);
  },
  oneOf<T extends string>(body: Record<string, unknown>, name: string, values: readonly T[]): T {
    const v = body[name];
    if (typeof v !== 'string' || !values.includes(v as T)) throw new SimError(400, 'bad-request', `${name} must be one of ${values.join(', ')}`);
    return v as T;
  },
  amount(body: Record<string, unknown>, name: string): number {
    const v = body[name];
    if (typeof v !== 'number' || !Number.isSafeInteger(v) || v <= 0) throw new SimError(400, 'bad-request', `${name} must be a positive whole number of minor units`);
    return v;
  },
  currency(body: Record<string, unknown>, name: string): string {
    const v = body[name];
    if (typeof v !== 'string' || !/^[A-Z]{3}$/.test(v)) throw new SimError(400, 'bad-request', `${name} must be an ISO 4217 code`);
    return v;
  },
};
