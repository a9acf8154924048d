import type { Static, TSchema } from '@sinclair/typebox';
import type { TypeCheck } from '@sinclair/typebox/compiler';
import { ValueErrorType, type ValueError } from '@sinclair/typebox/errors';
import { SpiError } from './spi-error';

/** Errors that mean "this value has the wrong JSON type", as opposed to a wrong value of the right type. */
const TYPE_ERRORS = new Set<ValueErrorType>([
  ValueErrorType.Array,
  ValueErrorType.Boolean,
  ValueErrorType.Integer,
  ValueErrorType.Null,
  ValueErrorType.Number,
  ValueErrorType.Object,
  ValueErrorType.String,
  ValueErrorType.Tuple,
]);

type JsonType = 'null' | 'array' | 'object' | 'string' | 'number' | 'boolean';

function jsonTypeOf(value: unknown): JsonType {
  if (value === null) return 'null';
  if (Array.isArray(value)) return 'array';
  const t = typeof value;
  return t === 'string' || t === 'number' || t === 'boolean' ? t : 'object';
}

/** The JSON types a schema accepts: `type`, the type of a `const`, or those of `anyOf` members. */
function acceptedTypes(schema: TSchema): JsonType[] {
  if (Array.isArray(schema.anyOf)) return (schema.anyOf as TSchema[]).flatMap(acceptedTypes);
  if ('const' in schema) return [jsonTypeOf(schema.const)];
  if (schema.type === 'integer') return ['number'];
  return typeof schema.type === 'string' ? [schema.type as JsonType] : [];
}

/** `/cartitems/0/quantity` → `cartitems.0.quantity`. */
export function fieldPath(pointer: string): string {
  return pointer
    .split('/')
    .slice(1)
    .map((s) => s.replace(/~1/g, '/').replace(/~0/g, '~'))
    .join('.');
}

function describeTypes(types: JsonType[]): string {
  const names = [...new Set(types)].map((t) => (t === 'null' ? 'null' : t === 'array' || t === 'object' ? `an ${t}` : `a ${t}`));
  return names.join(' or ') || 'another type';
}

/**
 * A union error whose value has the JSON type of exactly one member (`customer` is an object or
 * null, and an object was sent) is really that member's error: report the deepest one, so the
 * field named is `customer.mobile`, not `customer`.
 */
function narrowUnion(error: ValueError): ValueError {
  if (error.type !== ValueErrorType.Union || !Array.isArray(error.schema.anyOf)) return error;
  const type = jsonTypeOf(error.value);
  const matching = (error.schema.anyOf as TSchema[]).flatMap((member, i) => (acceptedTypes(member).includes(type) ? [i] : []));
  if (matching.length !== 1) return error;
  const inner = error.errors[matching[0] ?? -1]?.First();
  return inner ? narrowUnion(inner) : error;
}

/** The contract's error for one TypeBox error: field-missing, field-type or field-validation, with the field's path. */
export function toFieldError(typeboxError: ValueError): SpiError {
  const error = narrowUnion(typeboxError);
  const field = fieldPath(error.path);
  if (field === '') return new SpiError('bad-request', 'the body must be a JSON object');
  if (error.type === ValueErrorType.ObjectRequiredProperty) return new SpiError('field-missing', `${field} is required`, field);
  const accepted = acceptedTypes(error.schema);
  const wrongType =
    TYPE_ERRORS.has(error.type) ||
    ((error.type === ValueErrorType.Union || error.type === ValueErrorType.Literal) && !accepted.includes(jsonTypeOf(error.value)));
  if (wrongType) return new SpiError('field-type', `${field} must be ${describeTypes(accepted)}`, field);
  const why = error.message.charAt(0).toLowerCase() + error.message.slice(1);
  return new SpiError('field-validation', `${field} is not valid: ${why}`, field);
}

/** Checks a value against a compiled schema; throws the first problem as the contract's error. */
export function assertValid<T extends TSchema>(check: TypeCheck<T>, value: unknown): asserts value is Static<T> {
  if (check.Check(value)) return;
  const first = check.Errors(value).First();
  throw first ? toFieldError(first) : new SpiError('bad-request', 'the body does not match the schema');
}
