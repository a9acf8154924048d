/** A configuration error: one line naming the variable, printed before the process stops. */
export class ConfigError extends Error {
  constructor(variable: string, problem: string) {
    super(`${variable}: ${problem}`);
    this.name = 'ConfigError';
  }
}

type Env = Record<string, string | undefined>;

export function str(env: Env, name: string, fallback: string): string {
  const v = env[name];
  return v === undefined || v === '' ? fallback : v;
}

export function int(env: Env, name: string, fallback: number, { min = 0, max = Number.MAX_SAFE_INTEGER } = {}): number {
  const raw = env[name];
  if (raw === undefined || raw === '') return fallback;
  if (!/^[0-9]+$/.test(raw.trim())) throw new ConfigError(name, `must be a whole number, got ${JSON.stringify(raw)}`);
  const n = Number(raw.trim());
  if (n < min || n > max) throw new ConfigError(name, `must be between ${min} and ${max}, got ${n}`);
  return n;
}

export function json<T>(env: Env, name: string, fallback: T, check: (v: unknown) => string | null): T {
  const raw = env[name];
  if (raw === undefined || raw === '') return fallback;
  let parsed: unknown;
  try {
    parsed = JSON.parse(raw);
  } catch {
    throw new ConfigError(name, 'is not valid JSON');
  }
  const problem = check(parsed);
  if (problem) throw new ConfigError(name, problem);
  return parsed as T;
}

export function url(env: Env, name: string, fallback: string): string {
  const v = str(env, name, fallback);
  try {
    new URL(v);
  } catch {
    throw new ConfigError(name, `must be a URL, got ${JSON.stringify(v)}`);
  }
  return v.replace(/\/+$/, '');
}

/** host:port, as Temporal's address. */
export function address(env: Env, name: string, fallback: string): string {
  const v = str(env, name, fallback);
  if (!/^[^\s:]+:[0-9]{1,5}$/.test(v)) throw new ConfigError(name, `must be host:port, got ${JSON.stringify(v)}`);
  return v;
}

/** One of a fixed list of words. */
export function oneOf<T extends string>(env: Env, name: string, allowed: readonly T[], fallback: T): T {
  const v = str(env, name, fallback);
  if (!(allowed as readonly string[]).includes(v)) throw new ConfigError(name, `must be one of ${allowed.join(', ')}, got ${JSON.stringify(v)}`);
  return v as T;
}
