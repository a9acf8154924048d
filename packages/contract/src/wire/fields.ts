import { Type, type TSchema } from 'typebox';
import { PAYMENT_KINDS, PAYMENT_METHODS } from '../domain';

/** Ids and references: non-empty, bounded. */
export const WireId = (maxLength = 128) => Type.String({ minLength: 1, maxLength });
/** Positive minor units, never a fraction. */
export const MinorUnits = Type.Integer({ minimum: 1, maximum: Number.MAX_SAFE_INTEGER });
/** An ISO 4217 code. */
export const CurrencyCode = Type.String({ pattern: '^[A-Z]{3}$' });
export const Kind = Type.Enum(PAYMENT_KINDS);
export const Method = Type.Enum(PAYMENT_METHODS);
/** The value, or null. */
export const Nullable = <T extends TSchema>(schema: T) => Type.Union([schema, Type.Null()]);
