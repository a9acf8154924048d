import { createHash, createHmac, randomBytes, scrypt, timingSafeEqual } from 'node:crypto';
import type { Credential } from '@payments/config';

/** Who a valid Authorization header names: the credential's username and its merchant. */
export interface Principal {
  username: string;
  merchant: string;
}

/** Checks an Authorization header; resolves to its principal, or null. */
export type Authenticator = (authorization: string | undefined) => Promise<Principal | null>;

const SCRYPT_PREFIX = 'scrypt$';
const SCRYPT_HASH = /^scrypt\$([0-9a-f]+)\$([0-9a-f]+)$/i;
/** Verified headers are remembered this long, so polling registers do not pay scrypt on every call. */
const VERIFIED_TTL_MS = 5 * 60_000;
const VERIFIED_MAX = 1000;

const digest = (value: string | Buffer): Buffer => createHash('sha256').update(value).digest();
/** Equal-length digests, so the comparison's time says nothing about the secret. */
const sameSecret = (a: string | Buffer, b: string | Buffer): boolean => timingSafeEqual(digest(a), digest(b));

function scryptAsync(password: string, salt: Buffer, keylen: number): Promise<Buffer> {
  return new Promise((resolve, reject) => {
    scrypt(password, salt, keylen, (err, key) => (err ? reject(err) : resolve(key)));
  });
}

/** Formats a password for SPI_CREDENTIALS as `scrypt$<salt-hex>$<hash-hex>` (Node's default scrypt cost). */
export async function hashPassword(password: string): Promise<string> {
  const salt = randomBytes(16);
  const hash = await scryptAsync(password, salt, 32);
  return `${SCRYPT_PREFIX}${salt.toString('hex')}$${hash.toString('hex')}`;
}

async function passwordMatches(given: string, stored: string): Promise<boolean> {
  if (!stored.startsWith(SCRYPT_PREFIX)) return sameSecret(given, stored);
  const m = SCRYPT_HASH.exec(stored);
  if (!m) return false;
  const expected = Buffer.from(m[2] ?? '', 'hex');
  const actual = await scryptAsync(given, Buffer.from(m[1] ?? '', 'hex'), expected.length);
  return sameSecret(actual, expected);
}

/** The username and password of a Basic Authorization header, or null when it is none. */
export function parseBasic(authorization: string | undefined): { username: string; password: string } | null {
  const m = /^Basic[ ]+([A-Za-z0-9+/=]+)\s*$/i.exec(authorization ?? '');
  if (!m) return null;
  const decoded = Buffer.from(m[1] ?? '', 'base64').toString('utf8');
  const colon = decoded.indexOf(':');
  if (colon < 0) return null;
  return { username: decoded.slice(0, colon), password: decoded.slice(colon + 1) };
}

/**
 * HTTP Basic against the configured credentials. Every username is compared (no early exit) and
 * passwords through fixed-length digests, in constant time; a credential holding two passwords
 * (a rotation) opens with either, and every check runs as many comparisons as the credential
 * with the most passwords, so the time taken says nothing about which username exists. A
 * verified header is remembered under a keyed hash (the key never leaves the process), so scrypt
 * runs once per register, not per poll.
 */
export function createAuthenticator(credentials: readonly Credential[], now: () => number = Date.now): Authenticator {
  const cacheKey = randomBytes(32);
  // Compared against in place of missing passwords, so that costs what a wrong password costs.
  const decoy = credentials.flatMap((c) => c.passwords).find((p) => p.startsWith(SCRYPT_PREFIX)) ?? randomBytes(16).toString('hex');
  const comparisons = Math.max(1, ...credentials.map((c) => c.passwords.length));
  const verified = new Map<string, { principal: Principal; until: number }>();

  return async (authorization) => {
    const parsed = parseBasic(authorization);
    if (!parsed) return null;
    const key = createHmac('sha256', cacheKey).update(authorization ?? '').digest('base64');
    const hit = verified.get(key);
    if (hit && hit.until > now()) return hit.principal;

    let match: Credential | undefined;
    for (const c of credentials) {
      if (sameSecret(parsed.username, c.username) && match === undefined) match = c;
    }
    let ok = false;
    for (let i = 0; i < comparisons; i++) {
      const stored = match?.passwords[i];
      // Every comparison runs, a hit included: no early exit.
      const same = await passwordMatches(parsed.password, stored ?? decoy);
      ok = (same && stored !== undefined) || ok;
    }
    if (!ok || !match) return null;

    const principal = { username: match.username, merchant: match.merchant };
    if (verified.size >= VERIFIED_MAX) verified.clear();
    verified.set(key, { principal, until: now() + VERIFIED_TTL_MS });
    return principal;
  };
}
