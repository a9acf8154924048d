import * as fs from 'node:fs';
import { createSecureContext } from 'node:tls';
import { ConfigError } from './env';
import { definePart } from './part';
import { described, flag, wholeNumber, type Env } from './variable';

export const TLS_CERT_FILE = described({ name: 'TLS_CERT_FILE', rule: 'file path (PEM)', meaning: 'the certificate (chain) the API serves HTTPS with; with TLS_KEY_FILE' });
export const TLS_KEY_FILE = described({ name: 'TLS_KEY_FILE', rule: 'file path (PEM)', meaning: 'the private key of TLS_CERT_FILE' });
export const TRUST_PROXY = flag({
  name: 'TRUST_PROXY',
  default: false,
  meaning: 'take the client address from X-Forwarded-For (only behind a proxy that sets it; otherwise anyone could pick their address)',
});
export const RATE_LIMIT_PER_SECOND = wholeNumber({ name: 'RATE_LIMIT_PER_SECOND', default: 10_000, meaning: 'requests per credential, all its registers together (2,000 registers at 5 a second); 0 turns it off' });
export const RATE_LIMIT_BURST = wholeNumber({ name: 'RATE_LIMIT_BURST', default: 20_000, min: 1, meaning: 'the burst of RATE_LIMIT_PER_SECOND' });
export const REGISTER_RATE_LIMIT_PER_SECOND = wholeNumber({
  name: 'REGISTER_RATE_LIMIT_PER_SECOND',
  default: 20,
  meaning: 'requests per register (Register-ID, else posid, else the payment): 4× a register’s peak of 5 a second; 0 turns it off',
});
export const REGISTER_RATE_LIMIT_BURST = wholeNumber({ name: 'REGISTER_RATE_LIMIT_BURST', default: 40, min: 1, meaning: 'the burst of REGISTER_RATE_LIMIT_PER_SECOND' });
export const LOGIN_FAILURE_LIMIT = wholeNumber({ name: 'LOGIN_FAILURE_LIMIT', default: 10, meaning: 'failed logins per (client address, username) within the window, then 429; 0 turns it off' });
export const LOGIN_FAILURE_WINDOW_MS = wholeNumber({ name: 'LOGIN_FAILURE_WINDOW_MS', default: 60_000, min: 1000, unit: 'ms', meaning: 'the window of both failed-login limits' });
export const LOGIN_FAILURE_ADDRESS_LIMIT = wholeNumber({
  name: 'LOGIN_FAILURE_ADDRESS_LIMIT',
  default: 100,
  meaning: 'failed logins per client address within the window, across usernames; past it, usernames new at the address get 429; 0 turns it off',
});
export const ACQUIRER_CALLBACK_SECRET = described({
  name: 'ACQUIRER_CALLBACK_SECRET',
  rule: 'text, 32 characters or more',
  secret: true,
  meaning: 'HMAC secret shared with the acquirer; unset, POST /callbacks/acquirer is off (404)',
});
export const ACQUIRER_CALLBACK_TOLERANCE_S = wholeNumber({
  name: 'ACQUIRER_CALLBACK_TOLERANCE_S',
  default: 300,
  min: 1,
  max: 3600,
  unit: 's',
  meaning: 'how far a callback’s (or view push’s) timestamp may be from our clock; seen signatures are remembered this long',
});

/** The cert and key the API serves HTTPS with; both PEM files. */
export interface TlsFiles {
  certFile: string;
  keyFile: string;
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
  const cert = TLS_CERT_FILE.read(env);
  const key = TLS_KEY_FILE.read(env);
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
  const secret = ACQUIRER_CALLBACK_SECRET.read(env);
  if (secret === '') return null;
  if (secret.length < 32) throw new ConfigError('ACQUIRER_CALLBACK_SECRET', 'must be at least 32 characters');
  return secret;
}

const VARIABLES = [
  TLS_CERT_FILE,
  TLS_KEY_FILE,
  TRUST_PROXY,
  RATE_LIMIT_PER_SECOND,
  RATE_LIMIT_BURST,
  REGISTER_RATE_LIMIT_PER_SECOND,
  REGISTER_RATE_LIMIT_BURST,
  LOGIN_FAILURE_LIMIT,
  LOGIN_FAILURE_WINDOW_MS,
  LOGIN_FAILURE_ADDRESS_LIMIT,
  ACQUIRER_CALLBACK_SECRET,
  ACQUIRER_CALLBACK_TOLERANCE_S,
];

/** The API's defences: HTTPS, request limits per credential and per client, and acquirer callbacks. */
export const security = definePart('security', VARIABLES, (env) => ({
  /** HTTPS when set; plain HTTP (behind a proxy that terminates TLS) otherwise. */
  tls: tlsFiles(env),
  /** Whether X-Forwarded-For names the client (only behind a proxy that sets it). */
  trustProxy: TRUST_PROXY.read(env),
  /**
   * Requests per credential, all its registers together: a token bucket refilled at
   * `perSecond`, holding at most `burst`. A ceiling sized for a chain whose stores share one
   * credential: 2,000 registers at their peak (4 polls a second, plus a POST and a PUT per
   * payment: 5 a second) make 10,000 a second. `perSecond` 0 turns it off.
   */
  rateLimit: {
    perSecond: RATE_LIMIT_PER_SECOND.read(env),
    burst: RATE_LIMIT_BURST.read(env),
  },
  /**
   * Requests per register (Sitoo's Register-ID header; else the POST's posid, or the payment a
   * GET or PUT names): 4 times a register's peak of 5 a second, so a register looping on an
   * error is stopped alone while its store and its chain keep paying. `perSecond` 0 turns it off.
   */
  registerRateLimit: {
    perSecond: REGISTER_RATE_LIMIT_PER_SECOND.read(env),
    burst: REGISTER_RATE_LIMIT_BURST.read(env),
  },
  /**
   * Failed logins. `limit` within `windowMs` per (client address, username), then 429 for that
   * pair until the window refills; `addressLimit` within the same window per client address,
   * whatever the usernames (credential stuffing), then 429 for every username that has not
   * logged in from that address during the window. 0 turns either off.
   */
  loginFailures: {
    limit: LOGIN_FAILURE_LIMIT.read(env),
    windowMs: LOGIN_FAILURE_WINDOW_MS.read(env),
    addressLimit: LOGIN_FAILURE_ADDRESS_LIMIT.read(env),
  },
  /** Callbacks the acquirer sends to POST /callbacks/acquirer; the route is off without a secret. */
  acquirerCallback: {
    secret: callbackSecret(env),
    /** How far a callback's timestamp may be from our clock; replays are remembered this long. */
    toleranceMs: ACQUIRER_CALLBACK_TOLERANCE_S.read(env) * 1000,
  },
}));

export type SecurityConfig = ReturnType<typeof security.load>;
