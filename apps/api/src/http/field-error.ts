import type { Static, TProperties, TSchema } from 'typebox';
import type { Validator } from 'typebox/compile';
import type { TLocalizedValidationError } from 'typebox/error';
import { SpiError } from './spi-error';

type Issue = TLocalizedValidationError;
type JsonType = 'null' | 'array' | 'object' | 'string' | 'number' | 'boolean';
/** A schema as the JSON it is, to read its keywords. */
type JsonSchema = Record<string, unknown>;

function jsonTypeOf(value: unknown): JsonType {
  if (value === null) return 'null';
  if (Array.isArray(value)) return 'array';
  const t = typeof value;
  return t === 'string' || t === 'number' || t === 'boolean' ? t : 'object';
}

/** The JSON types a schema accepts: `type`, the type of a `const`, or those of `anyOf` members. */
function acceptedTypes(schema: JsonSchema): JsonType[] {
  if (Array.isArray(schema.anyOf)) return (schema.anyOf as JsonSchema[]).flatMap(acceptedTypes);
  if ('const' in schema) return [jsonTypeOf(schema.const)];
  if (schema.type === 'integer') return ['number'];
  return typeof schema.type === 'string' ? [schema.type as JsonType] : [];
}

const unescape = (segment: string) => segment.replace(/~1/g, '/').replace(/~0/g, '~');

/** `/cartitems/0/quantity` → `cartitems.0.quantity`. */
export function fieldPath(pointer: string): string {
  return pointer.split('/').slice(1).map(unescape).join('.');
}

/** What a JSON pointer (an error's `instancePath`) points at in the checked value. */
function valueAt(root: unknown, pointer: string): unknown {
  let node = root;
  for (const segment of pointer.split('/').slice(1).map(unescape)) {
    if (typeof node !== 'object' || node === null) return undefined;
    node = (node as Record<string, unknown>)[segment];
  }
  return node;
}

/** The subschema an error's `schemaPath` (`#/properties/customer/anyOf/0`) names. */
function schemaAt(root: TSchema, schemaPath: string): JsonSchema {
  let node: unknown = root;
  for (const segment of schemaPath.split('/').slice(1).map(unescape)) node = (node as JsonSchema | undefined)?.[segment];
  return (node ?? {}) as JsonSchema;
}

const within = (path: string, prefix: string) => path === prefix || path.startsWith(`${prefix}/`);

/**
 * The first error that is not one member's reason inside a union: TypeBox lists each member's
 * errors before the union's own `anyOf`, and the union's error is the one that speaks for them.
 */
function firstOf(issues: Issue[]): Issue | undefined {
  const unions = issues.filter((i) => i.keyword === 'anyOf');
  return issues.find((i) => !unions.some((u) => u !== i && within(i.schemaPath, `${u.schemaPath}/anyOf`)));
}

/**
 * A union error whose value has the JSON type of exactly one member (`customer` is an object or
 * null, and an object was sent) is really that member's error: report the deepest one, so the
 * field named is `customer.mobile`, not `customer`.
 */
function narrowUnion(error: Issue, issues: Issue[], root: { schema: TSchema; value: unknown }): Issue {
  if (error.keyword !== 'anyOf') return error;
  const members = schemaAt(root.schema, error.schemaPath).anyOf;
  if (!Array.isArray(members)) return error;
  const type = jsonTypeOf(valueAt(root.value, error.instancePath));
  const matching = (members as JsonSchema[]).flatMap((member, i) => (acceptedTypes(member).includes(type) ? [i] : []));
  if (matching.length !== 1) return error;
  const member = `${error.schemaPath}/anyOf/${matching[0]}`;
  const inner = firstOf(issues.filter((i) => within(i.schemaPath, member)));
  return inner ? narrowUnion(inner, issues, root) : error;
}

/**
 * Why a value of the right JSON type is refused, in the words the error bodies have always used
 * (TypeBox 0.34's): registers and integrators may match on them. Others in TypeBox's own words.
 */
function reason(error: Issue): string {
  if (error.keyword === 'maxLength') return `expected string length less or equal to ${error.params.limit}`;
  if (error.keyword === 'minLength') return `expected string length greater or equal to ${error.params.limit}`;
  if (error.keyword === 'maxItems') return `expected array length to be less or equal to ${error.params.limit}`;
  if (error.keyword === 'minItems') return `expected array length to be greater or equal to ${error.params.limit}`;
  if (error.keyword === 'pattern') return `expected string to match '${String(error.params.pattern)}'`;
  if (error.keyword === 'anyOf') return 'expected union value';
  return error.message;
}

/** The contract's error for the first of TypeBox's errors: field-missing, field-type or field-validation, with the field's path. */
export function toFieldError(issues: Issue[], root: { schema: TSchema; value: unknown }): SpiError {
  const first = firstOf(issues);
  if (!first) return new SpiError('bad-request', 'the body does not match the schema');
  const error = narrowUnion(first, issues, root);
  if (error.keyword === 'required') {
    const [missing = ''] = error.params.requiredProperties;
    const field = fieldPath(`${error.instancePath}/${missing.replace(/~/g, '~0').replace(/\//g, '~1')}`);
    return new SpiError('field-missing', `${field} is required`, field);
  }
  const field = fieldPath(error.instancePath);
  if (field === '') return new SpiError('bad-request', 'the body must be a JSON object');
  const accepted = acceptedTypes(schemaAt(root.schema, error.schemaPath));
  const wrongType =
    error.keyword === 'type' || ((error.keyword === 'anyOf' || error.keyword === 'const') && !accepted.includes(jsonTypeOf(valueAt(root.value, error.instancePath))));
  if (wrongType) return new SpiError('field-type', `${field} must be ${describeTypes(accepted)}`, field);
  return new SpiError('field-validation', `${field} is not valid: ${reason(error)}`, field);
}

function describeTypes(types: JsonType[]): string {
  const names = [...new Set(types)].map((t) => (t === 'null' ? 'null' : t === 'array' || t === 'object' ? `an ${t}` : `a ${t}`));
  return names.join(' or ') || 'another type';
}

/** Checks a value against a compiled schema; throws the first problem as the contract's error. */
export function assertValid<T extends TSchema>(check: Validator<TProperties, T>, value: unknown): asserts value is Static<T> {
  if (check.Check(value)) return;
  throw toFieldError(check.Errors(value), { schema: check.Type(), value });
}
