import type { Env, Variable } from './variable';

/** What every part may depend on besides its own variables: NODE_ENV, read once by the schema. */
export interface Context {
  production: boolean;
  development: boolean;
}

/** Variables read together (the temporal connection, logging, view push…), and what they make together. */
export interface Part<T> {
  readonly name: string;
  readonly variables: readonly Variable[];
  load(env: Env, context: Context): T;
}

/** A name such as TEMPORAL_GRPC_META_<NAME> declares every variable with that prefix. */
const matches = (v: Variable, name: string): boolean => {
  const at = v.name.indexOf('<');
  return at < 0 ? v.name === name : name.startsWith(v.name.slice(0, at));
};

/** True when `name` is one of `variables` (or matches a declared prefix). */
export function declares(variables: readonly Variable[], name: string): boolean {
  return variables.some((v) => matches(v, name));
}

/**
 * Only the variables the part declares: a part that read anything else would see it unset, so
 * an undeclared read shows up in its own tests instead of going unlisted in the reference.
 */
export function envOf(variables: readonly Variable[], env: Env): Env {
  return Object.fromEntries(Object.entries(env).filter(([name]) => declares(variables, name)));
}

/** A part over `variables`; `load` sees only those. */
export function definePart<T>(name: string, variables: readonly Variable[], load: (env: Env, context: Context) => T): Part<T> {
  return Object.freeze({ name, variables: Object.freeze([...variables]), load: (env: Env, context: Context) => load(envOf(variables, env), context) });
}
