import { ConfigError, address, int, json, oneOf, str, url } from './env';

/** The environment as a process sees it. */
export type Env = Record<string, string | undefined>;

/** One environment variable, declared once: its name, rule, default, meaning, and whether it is a secret. */
export interface Variable<T = unknown> {
  readonly name: string;
  /** What a value must be, as the reference states it. */
  readonly rule: string;
  /** The default as the reference states it ('' when unset means off or none). */
  readonly defaultText: string;
  /** True when defaultText is a sentence (it depends on NODE_ENV, another variable…) rather than the value itself. */
  readonly defaultIsProse: boolean;
  /** One line: what it changes. */
  readonly meaning: string;
  /** A secret: never logged, and kept out of files that are committed. */
  readonly secret: boolean;
  /**
   * The value from `env`, or `fallback` (the declared default unless a setting it depends on
   * changes it) when unset or empty; a bad value throws a ConfigError naming the variable.
   */
  read(env: Env, fallback?: T): T;
}

interface Declaration<T> {
  name: string;
  meaning: string;
  default: T;
  /** When the default is not the value itself (it depends on NODE_ENV, another variable…). */
  defaultText?: string;
  secret?: boolean;
}

const make = <T>(d: Declaration<T>, rule: string, read: (env: Env, fallback: T) => T, shown: string): Variable<T> =>
  Object.freeze({
    name: d.name,
    rule,
    defaultText: d.defaultText ?? shown,
    defaultIsProse: d.defaultText !== undefined,
    meaning: d.meaning,
    secret: d.secret ?? false,
    read: (env: Env, fallback: T = d.default) => read(env, fallback),
  });

/** Any text. */
export function text(d: Declaration<string> & { rule?: string }): Variable<string> {
  return make(d, d.rule ?? 'text', (env, fallback) => str(env, d.name, fallback), d.default);
}

/** A whole number within bounds (a port is one from 0 or 1 to 65535). */
export function wholeNumber(d: Declaration<number> & { min?: number; max?: number; unit?: string }): Variable<number> {
  const min = d.min ?? 0;
  const rule = `whole number${d.max === undefined ? ` ≥ ${min}` : ` ${min}–${d.max}`}${d.unit ? ` (${d.unit})` : ''}`;
  return make(d, rule, (env, fallback) => int(env, d.name, fallback, { min, max: d.max }), String(d.default));
}

/** An absolute URL; a trailing slash is dropped. */
export function urlText(d: Declaration<string>): Variable<string> {
  return make(d, 'URL', (env, fallback) => url(env, d.name, fallback), d.default);
}

/** host:port. */
export function hostPort(d: Declaration<string>): Variable<string> {
  return make(d, 'host:port', (env, fallback) => address(env, d.name, fallback), d.default);
}

/** One of a fixed list of words. */
export function oneOfWords<T extends string>(d: Declaration<T> & { words: readonly T[] }): Variable<T> {
  return make(d, d.words.join(' | '), (env, fallback) => oneOf(env, d.name, d.words, fallback), d.default);
}

/** true or false (also 1 or 0). */
export function flag(d: Declaration<boolean>): Variable<boolean> {
  return make(
    d,
    'true | false',
    (env, fallback) => {
      const v = str(env, d.name, String(fallback)).toLowerCase();
      if (v === 'true' || v === '1') return true;
      if (v === 'false' || v === '0') return false;
      throw new ConfigError(d.name, `must be true or false, got ${JSON.stringify(env[d.name])}`);
    },
    String(d.default),
  );
}

/** JSON, checked by `check` (which returns the problem, or null). */
export function jsonValue<T>(d: Declaration<T> & { rule: string; check: (v: unknown) => string | null }): Variable<T> {
  return make(d, d.rule, (env, fallback) => json(env, d.name, fallback, d.check), JSON.stringify(d.default));
}

/**
 * A variable whose rule lives where it is read (a part that checks it with others, a library
 * such as `@temporalio/envconfig`, or a plain-Node script): declared here for the reference and
 * for the test that every name read is declared; `read` gives the raw text.
 */
export function described(d: Omit<Declaration<string>, 'default'> & { default?: string; rule: string }): Variable<string> {
  const fallbackDefault = d.default ?? '';
  return make({ ...d, default: fallbackDefault }, d.rule, (env, fallback) => str(env, d.name, fallback), fallbackDefault);
}
