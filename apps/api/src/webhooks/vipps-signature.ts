import { createHash, createHmac, timingSafeEqual } from 'node:crypto';

/** How far x-ms-date may be from our clock: Vipps signs each delivery afresh, so a retry is never old. */
export const VIPPS_SIGNATURE_TOLERANCE_MS = 5 * 60_000;

const AUTHORIZATION = /^HMAC-SHA256 SignedHeaders=x-ms-date;host;x-ms-content-sha256&Signature=([A-Za-z0-9+/=]+)$/;

/** What a delivery brings to be checked: its raw body, its signed headers, where it was sent. */
export interface VippsSignedRequest {
  raw: Buffer;
  /** The path and query as received, e.g. /webhooks/vipps-mobilepay. */
  pathAndQuery: string;
  /** The Host the sender signed: the request's Host, and the forwarded one behind a proxy. */
  hosts: readonly string[];
  date: string;
  contentSha256: string;
  authorization: string;
}

const equal = (a: string, b: string) => {
  const x = Buffer.from(a);
  const y = Buffer.from(b);
  return x.length === y.length && timingSafeEqual(x, y);
};

/**
 * The merchant whose webhook secret signed the delivery, or why none did. Vipps MobilePay signs
 * with HMAC-SHA256 (the secret as text, base64 out) the string
 * "POST\n<path and query>\n<x-ms-date>;<host>;<x-ms-content-sha256>", where the content hash is
 * the base64 SHA-256 of the body: so the body, the date, the URL and the host are all covered.
 */
export function verifyVippsSignature(
  req: VippsSignedRequest,
  secrets: Readonly<Record<string, readonly string[]>>,
  nowMs: number,
): { merchant: string } | { refused: string } {
  if (req.authorization === '' || req.date === '' || req.contentSha256 === '') return { refused: 'missing Authorization, x-ms-date or x-ms-content-sha256' };
  const signature = AUTHORIZATION.exec(req.authorization)?.[1];
  if (!signature) return { refused: 'the Authorization header is not an HMAC-SHA256 signature over x-ms-date;host;x-ms-content-sha256' };
  const hash = createHash('sha256').update(req.raw).digest('base64');
  if (!equal(hash, req.contentSha256)) return { refused: 'x-ms-content-sha256 is not the hash of the body' };
  const at = Date.parse(req.date);
  if (Number.isNaN(at) || Math.abs(nowMs - at) > VIPPS_SIGNATURE_TOLERANCE_MS) return { refused: 'x-ms-date is missing or outside the tolerance' };
  for (const host of new Set(req.hosts)) {
    const signed = `POST\n${req.pathAndQuery}\n${req.date};${host};${hash}`;
    for (const [merchant, list] of Object.entries(secrets)) {
      for (const secret of list) {
        if (equal(createHmac('sha256', secret).update(signed, 'utf8').digest('base64'), signature)) return { merchant };
      }
    }
  }
  return { refused: 'the signature matches no webhook secret' };
}
