import * as fs from 'node:fs';
import { createSecureContext } from 'node:tls';
import { ConfigError, int, str } from './env';

type Env = Record<string, string | undefined>;

/** The cert and key the API serves HTTPS with; both PEM files. */
export interface TlsFiles {
  certFile: string;
  keyFile: string;
}

function bool(env: Env, name: string, fallback: boolean): boolean {
  const v = str(env, name, String(fallback)).toLowerCase();
  if (v === 'true' || v === '1') return true;
  if (v === 'false' || v === '0') return false;
  throw new ConfigError(name, `must be true or false, got ${JSON.stringify(env[name])}`);
}

function readPem(env: Env, name: string): string {
  try {
    return fs.readFileSync(env[name] ?? '', 'utf8');
  } catch (err) {
    throw new ConfigError(name, `cannot be read: ${(err as NodeJS.ErrnoException).code ?? String(err)}`);
  }
}

/**
 * TLS_CERT_FILE and TLS_KEY_FILE: both or neither. Both are read and tried together at start, so
 * a wrong path, a file that is no PEM or a key of another certificate stops the process here,
 * naming the variable, rather than on the first connection.
 */
function tlsFiles(env: Env): TlsFiles | null {
  const cert = str(env, 'TLS_CERT_FILE', '');
  const key = str(env, 'TLS_KEY_FILE', '');
  if (cert === '' && key === '') return null;
  if (key === '') throw new ConfigError('TLS_KEY_FILE', 'is required when TLS_CERT_FILE is set');
  if (cert === '') throw new ConfigError('TLS_CERT_FILE', 'is required when TLS_KEY_FILE is set');
  const certPem = readPem(env, 'TLS_CERT_FILE');
  const keyPem = readPem(env, 'TLS_KEY_FILE');
  try {
    createSecureContext({ cert: certPem });
  } catch {
    throw new ConfigError('TLS_CERT_FILE', 'is not a PEM certificate');
  }
  try {
    createSecureContext({ cert: certPem, key: keyPem });
  } catch {
    throw new ConfigError('TLS_KEY_FILE', 'is not a PEM private key matching TLS_CERT_FILE');
  }
  return { certFile: cert, keyFile: key };
}

/** The HMAC secret of acquirer callbacks: off when unset; when set, long enough not to be guessed. */
function callbackSecret(env: Env): string | null {
  const secret = str(env, 'ACQUIRER_CALLBACK_SECRET', '');
  if (secret === '') return null;
  if (secret.length < 32) throw new ConfigError('ACQUIRER_CALLBACK_SECRET', 'must be at least 32 characters');
  return secret;
}

/**
 * The API's defences: HTTPS, request limits per credential and per client, and acquirer
 * callbacks. Kept apart from config.ts so that these settings read as one group.
 */
export function securityConfig(env: Env) {
  return {
    /** HTTPS when set; plain HTTP (behind a proxy that terminates TLS) otherwise. */
    tls: tlsFiles(env),
    /** Whether X-Forwarded-For names the client (only behind a proxy that sets it). */
    trustProxy: bool(env, 'TRUST_PROXY', false),
    /**
     * Requests per credential, all its registers together: a token bucket refilled at
     * `perSecond`, holding at most `burst`. A ceiling sized for a chain whose stores share one
     * credential: 2,000 registers at their peak (4 polls a second, plus a POST and a PUT per
     * payment: 5 a second) make 10,000 a second. `perSecond` 0 turns it off.
     */
    rateLimit: {
      perSecond: int(env, 'RATE_LIMIT_PER_SECOND', 10_000),
      burst: int(env, 'RATE_LIMIT_BURST', 20_000, { min: 1 }),
    },
    /**
     * Requests per register (Sitoo's Register-ID header; else the POST's posid, or the payment a
     * GET or PUT names): 4 times a register's peak of 5 a second, so a register looping on an
     * error is stopped alone while its store and its chain keep paying. `perSecond` 0 turns it off.
     */
    registerRateLimit: {
      perSecond: int(env, 'REGISTER_RATE_LIMIT_PER_SECOND', 20),
      burst: int(env, 'REGISTER_RATE_LIMIT_BURST', 40, { min: 1 }),
    },
    /**
     * Failed logins. `limit` within `windowMs` per (client address, username), then 429 for that
     * pair until the window refills; `addressLimit` within the same window per client address,
     * whatever the usernames (credential stuffing), then 429 for every username that has not
     * logged in from that address during the window. 0 turns either off.
     */
    loginFailures: {
      limit: int(env, 'LOGIN_FAILURE_LIMIT', 10),
      windowMs: int(env, 'LOGIN_FAILURE_WINDOW_MS', 60_000, { min: 1000 }),
      addressLimit: int(env, 'LOGIN_FAILURE_ADDRESS_LIMIT', 100),
    },
    /** Callbacks the acquirer sends to POST /callbacks/acquirer; the route is off without a secret. */
    acquirerCallback: {
      secret: callbackSecret(env),
      /** How far a callback's timestamp may be from our clock; replays are remembered this long. */
      toleranceMs: int(env, 'ACQUIRER_CALLBACK_TOLERANCE_S', 300, { min: 1, max: 3600 }) * 1000,
    },
  };
}

export type SecurityConfig = ReturnType<typeof securityConfig>;
