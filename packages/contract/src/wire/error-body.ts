import { Type, type Static } from 'typebox';

/**
 * Any answer of the acquirer or the terminal other than 2xx. An error about a payment carries
 * the payment's fields too (409 already-approved); a busy terminal (409 busy) the reference of
 * the transaction it is running.
 */
export const WireErrorBody = Type.Object({
  error: Type.String(),
  message: Type.String(),
  reference: Type.Optional(Type.String()),
});
export type WireErrorBody = Static<typeof WireErrorBody>;
