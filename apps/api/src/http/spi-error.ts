import { ERROR_STATUS, type ErrorBody, type ErrorCode } from '@payments/contract';
import { isTemporalUnavailable } from '../temporal';

/** The one error type of the HTTP edge: a contract error code, a message for the register, and the field at fault. */
export class SpiError extends Error {
  override readonly name = 'SpiError';

  constructor(
    readonly code: ErrorCode,
    message: string,
    readonly field?: string,
  ) {
    super(message);
  }
}

const GENERIC_MESSAGE: Partial<Record<ErrorCode, string>> = {
  other: 'internal error',
  unavailable: 'the payment service is temporarily unavailable, try again',
};

/**
 * Turns anything thrown into the contract's error response: an SpiError keeps its code, an
 * unreachable or slow Temporal becomes `unavailable`, everything else `other`. 5xx messages are
 * fixed texts, so no internal detail ever reaches the register.
 */
export function errorResponse(err: unknown, requestId: string): { status: number; body: ErrorBody } {
  const code: ErrorCode = err instanceof SpiError ? err.code : isTemporalUnavailable(err) ? 'unavailable' : 'other';
  const status = ERROR_STATUS[code];
  const error_data: ErrorBody['error_data'] = { message: 'internal error' };
  if (err instanceof SpiError && code === 'unavailable') {
    // Our own fixed texts (busy, or could not be started): they tell a shed POST from a timeout.
    error_data.message = err.message;
  } else if (status >= 500) {
    error_data.message = GENERIC_MESSAGE[code] ?? 'internal error';
  } else if (err instanceof SpiError) {
    error_data.message = err.message;
    if (err.field !== undefined) error_data.field = err.field;
  }
  return { status, body: { error_code: code, error_data, request_id: requestId } };
}
