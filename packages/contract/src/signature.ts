// Bodies signed with a shared secret: the acquirer's callbacks to the API, and the worker's
// pushes of payment views to the API. Node only (node:crypto); not for the workflow sandbox.
import { createHmac, timingSafeEqual } from 'node:crypto';

/** The header a signed body carries: `t=<unix seconds>,v1=<hex HMAC-SHA256 of "<t>.<raw body>">`. */
export const SIGNATURE_HEADER = 'x-signature';

const HEX_SHA256 = /^[0-9a-f]{64}$/;

function hmacHex(secret: string, timestamp: number, body: Buffer | string): string {
  return createHmac('sha256', secret).update(`${timestamp}.`).update(body).digest('hex');
}

/** The X-Signature value for a body sent at `unixSeconds`: what the acquirer (or a test) sends. */
export function signCallback(secret: string, body: Buffer | string, unixSeconds: number): string {
  return `t=${unixSeconds},v1=${hmacHex(secret, unixSeconds, body)}`;
}

export type SignatureCheck =
  | { ok: true; timestamp: number; signature: string }
  | { ok: false; reason: 'malformed' | 'stale' | 'mismatch' };

/**
 * Checks an X-Signature header against the raw body: well-formed, its timestamp within
 * `toleranceMs` of now (either way), and one of its v1 values equal to our HMAC, compared in
 * constant time. Several v1 values are allowed so that the acquirer can roll its secret.
 */
export function verifyCallbackSignature(opts: {
  header: string | undefined;
  body: Buffer;
  secret: string;
  nowMs: number;
  toleranceMs: number;
}): SignatureCheck {
  let timestamp: number | null = null;
  const candidates: string[] = [];
  for (const part of (opts.header ?? '').split(',')) {
    const eq = part.indexOf('=');
    const key = part.slice(0, eq).trim();
    const value = part.slice(eq + 1).trim();
    if (eq < 0) return { ok: false, reason: 'malformed' };
    if (key === 't' && /^[0-9]{1,12}$/.test(value) && timestamp === null) timestamp = Number(value);
    else if (key === 'v1' && HEX_SHA256.test(value)) candidates.push(value);
    else if (key === 't' || key === 'v1') return { ok: false, reason: 'malformed' };
  }
  if (timestamp === null || candidates.length === 0 || candidates.length > 4) return { ok: false, reason: 'malformed' };
  if (Math.abs(opts.nowMs - timestamp * 1000) > opts.toleranceMs) return { ok: false, reason: 'stale' };
  const expected = Buffer.from(hmacHex(opts.secret, timestamp, opts.body), 'hex');
  let match: string | null = null;
  for (const candidate of candidates) {
    // Every candidate is compared, so the time taken does not say which one matched.
    if (timingSafeEqual(Buffer.from(candidate, 'hex'), expected) && match === null) match = candidate;
  }
  return match === null ? { ok: false, reason: 'mismatch' } : { ok: true, timestamp, signature: match };
}
