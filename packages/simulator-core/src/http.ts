import type { Context } from 'koa';
import type { Static, TProperties, TSchema } from 'typebox';
import type { Validator } from 'typebox/compile';
import type { TLocalizedValidationError } from 'typebox/error';
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

/** The first of TypeBox's errors in words, naming the field: a union's own error, not each member's. */
function problem(issues: TLocalizedValidationError[]): string {
  const unions = issues.filter((i) => i.keyword === 'anyOf').map((i) => `${i.schemaPath}/anyOf/`);
  const first = issues.find((i) => !unions.some((u) => i.schemaPath.startsWith(u)));
  if (!first) return 'the body does not match its schema';
  const field = first.instancePath.split('/').slice(1).join('.');
  if (first.keyword === 'required') return `${first.params.requiredProperties.join(', ')} is required`;
  if (first.keyword === 'enum') return `${field} must be one of ${first.params.allowedValues.join(', ')}`;
  if (first.keyword === 'anyOf') return `${field} has the wrong type`;
  return `${field} ${first.message}`;
}

/** Reads a JSON body and checks it against its wire schema (compiled once, at load); 400 naming the field that does not fit. */
export async function readBody<T extends TSchema>(ctx: Context, check: Validator<TProperties, T>): Promise<Static<T>> {
  const body = await readJson(ctx);
  if (!check.Check(body)) throw new SimError(400, 'bad-request', problem(check.Errors(body)));
  return body;
}
