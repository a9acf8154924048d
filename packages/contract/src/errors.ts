/**
 * Every error code of the SPI's error body, and the one HTTP status each maps to.
 * The list is the contract's (docs/integrators/spi-contract.md, "Error body"); nothing else is sent.
 */
export const ERROR_STATUS = {
  'bad-request': 400,
  'field-missing': 400,
  'field-type': 400,
  'field-validation': 400,
  unauthorized: 401,
  'not-found': 404,
  'invalid-state': 409,
  'reversal-not-possible': 409,
  'payload-too-large': 413,
  'refund-exceeds-original': 422,
  'idempotency-conflict': 422,
  'too-many-requests': 429,
  other: 500,
  unavailable: 503,
} as const;

export type ErrorCode = keyof typeof ERROR_STATUS;

export const ERROR_CODES = Object.keys(ERROR_STATUS) as ErrorCode[];

export function isErrorCode(value: unknown): value is ErrorCode {
  return typeof value === 'string' && Object.prototype.hasOwnProperty.call(ERROR_STATUS, value);
}
