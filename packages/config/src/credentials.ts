import * as fs from 'node:fs';
import { ConfigError } from './env';
import { definePart } from './part';
import { described, type Env } from './variable';

export const SPI_CREDENTIALS = described({
  name: 'SPI_CREDENTIALS',
  rule: 'JSON [{username, password | passwords: [new, old], merchant}]',
  defaultText: 'development only: demo / demo (merchant demo)',
  secret: true,
  meaning: 'the registers’ logins, one merchant each; a password may be `scrypt$<salt>$<hash>`; required with NODE_ENV=production unless SPI_CREDENTIALS_FILE is set',
});
export const SPI_CREDENTIALS_FILE = described({
  name: 'SPI_CREDENTIALS_FILE',
  rule: 'file path',
  meaning: 'a file holding the same JSON instead of SPI_CREDENTIALS, re-read on SIGHUP (password rotation)',
});

/** One register-facing credential; each belongs to exactly one merchant. */
export interface Credential {
  username: string;
  /**
   * Every password that opens it: one, or two while the registers move from the old to the new
   * during a rotation. Each is plain text or `scrypt$<salt-hex>$<hash-hex>`.
   */
  passwords: readonly string[];
  merchant: string;
}

/** Where the API's credentials came from: the variable to name in an error, and the file to re-read on SIGHUP. */
export interface CredentialSource {
  credentials: readonly Credential[];
  /** The path of SPI_CREDENTIALS_FILE, or null when the credentials came from SPI_CREDENTIALS (or are the dev default). */
  file: string | null;
}

/** The development credential; refused when NODE_ENV=production. */
export const DEV_CREDENTIALS: readonly Credential[] = Object.freeze([Object.freeze({ username: 'demo', passwords: Object.freeze(['demo']), merchant: 'demo' })]);

/** Old and new: enough for a rotation, few enough that a forgotten password does not linger unseen. */
const MAX_PASSWORDS = 2;

const nonEmpty = (v: unknown): v is string => typeof v === 'string' && v !== '';

/** A parsed JSON list of `{username, password | passwords, merchant}` as credentials, or the problem with it. */
function parseCredentials(v: unknown): Credential[] | string {
  if (!Array.isArray(v) || v.length === 0) return 'must be a non-empty JSON list of {username, password, merchant}';
  const seen = new Set<string>();
  const out: Credential[] = [];
  for (const [i, c] of v.entries()) {
    if (typeof c !== 'object' || c === null || Array.isArray(c)) return `entry ${i} is not an object`;
    const entry = c as Record<string, unknown>;
    for (const k of ['username', 'merchant'] as const) {
      if (!nonEmpty(entry[k])) return `entry ${i} needs a non-empty string "${k}"`;
    }
    const username = entry.username as string;
    if ('password' in entry && 'passwords' in entry) return `entry ${i} (${JSON.stringify(username)}) has both "password" and "passwords": keep one`;
    let passwords: string[];
    if ('passwords' in entry) {
      const list = entry.passwords;
      if (!Array.isArray(list) || list.length === 0 || list.length > MAX_PASSWORDS || !list.every(nonEmpty)) {
        return `entry ${i} (${JSON.stringify(username)}): "passwords" must list 1 or ${MAX_PASSWORDS} non-empty strings (the new password and the old)`;
      }
      passwords = list;
    } else {
      if (!nonEmpty(entry.password)) return `entry ${i} needs a non-empty string "password" (or "passwords": [new, old])`;
      passwords = [entry.password];
    }
    if (seen.has(username)) return `username ${JSON.stringify(username)} appears twice`;
    seen.add(username);
    out.push({ username, passwords, merchant: entry.merchant as string });
  }
  return out;
}

function fromJson(variable: string, raw: string): Credential[] {
  let parsed: unknown;
  try {
    parsed = JSON.parse(raw);
  } catch {
    throw new ConfigError(variable, 'is not valid JSON');
  }
  const credentials = parseCredentials(parsed);
  if (typeof credentials === 'string') throw new ConfigError(variable, credentials);
  return credentials;
}

/**
 * The register-facing credentials, from SPI_CREDENTIALS (JSON) or SPI_CREDENTIALS_FILE (a file
 * holding the same JSON, re-read on SIGHUP), checked the same way at start and on every re-read.
 * A problem throws a ConfigError naming the variable.
 */
export function loadCredentials(env: Env, production: boolean): CredentialSource {
  const inline = SPI_CREDENTIALS.read(env);
  const file = SPI_CREDENTIALS_FILE.read(env);
  if (inline !== '' && file !== '') throw new ConfigError('SPI_CREDENTIALS_FILE', 'and SPI_CREDENTIALS are both set: keep one');
  if (inline === '' && file === '') {
    if (production) throw new ConfigError('SPI_CREDENTIALS', 'is required when NODE_ENV=production (the dev credential is refused), or SPI_CREDENTIALS_FILE');
    return { credentials: DEV_CREDENTIALS, file: null };
  }
  const variable = file !== '' ? 'SPI_CREDENTIALS_FILE' : 'SPI_CREDENTIALS';
  let raw = inline;
  if (file !== '') {
    try {
      raw = fs.readFileSync(file, 'utf8');
    } catch (err) {
      throw new ConfigError(variable, `cannot be read: ${(err as NodeJS.ErrnoException).code ?? String(err)}`);
    }
  }
  const credentials = fromJson(variable, raw);
  if (production && credentials.some((c) => c.username === 'demo' && c.passwords.includes('demo'))) {
    throw new ConfigError(variable, 'holds the dev credential demo/demo, refused when NODE_ENV=production');
  }
  return { credentials: deepFreeze(credentials), file: file === '' ? null : file };
}

function deepFreeze<T>(o: T): T {
  if (o && typeof o === 'object') {
    for (const v of Object.values(o)) deepFreeze(v);
    Object.freeze(o);
  }
  return o;
}

/** The API's register-facing credentials (the first part it loads: without them in production, nothing else matters). */
export const spiCredentials = definePart('spi credentials', [SPI_CREDENTIALS, SPI_CREDENTIALS_FILE], (env, { production }) => loadCredentials(env, production));
