import { ConfigError } from './env';
import type { Context, Part } from './part';
import { described, type Env, type Variable } from './variable';

/** Who reads an environment: a process of the service, or a script or tool around it. */
export const READERS = ['api', 'worker', 'simulator', 'pos', 'npm start', 'npm run cluster', 'npm run temporal', 'tests', 'bench'] as const;
export type Reader = (typeof READERS)[number];

/** NODE_ENV: read by every schema, first; production turns the development defaults into refusals. */
export const NODE_ENV = described({
  name: 'NODE_ENV',
  rule: 'production | development | anything else',
  defaultText: '—',
  meaning: '`production` refuses the development credential and secrets, takes live Stripe keys and logs JSON; `development` logs at debug',
});

/** One reader's configuration: the parts it asks for, and how they make its config object. */
export interface Schema<T> {
  readonly reader: Reader;
  /** One line: what it is, for the reference. */
  readonly about: string;
  readonly parts: readonly Part<unknown>[];
  /** Every variable it reads, NODE_ENV first. */
  readonly variables: readonly Variable[];
  /** Parses `env` once; a bad value throws a ConfigError naming the variable. The result is deeply frozen. */
  load(env?: Env): T;
}

type Loaded<P extends Record<string, Part<unknown>>> = { [K in keyof P]: P[K] extends Part<infer T> ? T : never };

/**
 * A schema over `parts` (loaded in their order, so the first names the first problem); `build`
 * composes the parts' values into the object the process uses.
 */
export function defineSchema<P extends Record<string, Part<unknown>>, T>(
  reader: Reader,
  about: string,
  parts: P,
  build: (loaded: Loaded<P>, context: Context) => T,
): Schema<T> {
  const list = Object.values(parts);
  const variables = [NODE_ENV, ...list.flatMap((p) => p.variables)].filter((v, i, all) => all.findIndex((w) => w.name === v.name) === i);
  return Object.freeze({
    reader,
    about,
    parts: Object.freeze(list),
    variables: Object.freeze(variables),
    load(env: Env = process.env): T {
      const nodeEnv = NODE_ENV.read(env);
      const context: Context = { production: nodeEnv === 'production', development: nodeEnv === 'development' };
      const loaded = Object.fromEntries(Object.entries(parts).map(([key, part]) => [key, part.load(env, context)])) as Loaded<P>;
      return deepFreeze(build(loaded, context));
    },
  });
}

/** A reader that parses its variables itself (a plain-Node script that runs before `npm ci`, a tool): for the reference only. */
export function describeReader(reader: Reader, about: string, parts: readonly Part<unknown>[]): Schema<never> {
  const variables = parts.flatMap((p) => p.variables).filter((v, i, all) => all.findIndex((w) => w.name === v.name) === i);
  return Object.freeze({
    reader,
    about,
    parts: Object.freeze([...parts]),
    variables: Object.freeze(variables),
    load(): never {
      throw new Error(`${reader} parses its own variables (docs/configuration.md lists them)`);
    },
  });
}

function deepFreeze<T>(o: T): T {
  if (o && typeof o === 'object') {
    for (const v of Object.values(o)) deepFreeze(v);
    Object.freeze(o);
  }
  return o;
}

/** For main.ts: the loaded config, or the one line naming the bad variable and exit 78 (EX_CONFIG). */
export function loadOrExit<T>(schema: Schema<T>, env: Env = process.env): T {
  try {
    return schema.load(env);
  } catch (err) {
    if (err instanceof ConfigError) {
      process.stderr.write(`configuration error: ${err.message}\n`);
      process.exit(78);
    }
    throw err;
  }
}
