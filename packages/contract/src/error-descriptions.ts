import type { ErrorCode } from './errors';

/** What each error code means to a register, for documentation and for integrators' messages. */
export const ERROR_DESCRIPTIONS: Readonly<Record<ErrorCode, string>> = Object.freeze({
  'bad-request': 'The request could not be read: not JSON, an empty body, a body that is not an object, or a malformed header.',
  'field-missing': 'A required field is absent; error_data.field names it.',
  'field-type': 'A field has the wrong JSON type; error_data.field names it.',
  'field-validation': 'A field has the right type but a value the service refuses (an amount with too many decimals, zero, an unknown currency, a state other than completed/cancelled); error_data.field names it.',
  unauthorized: 'Missing or wrong Basic credentials.',
  'not-found': 'No such payment for this merchant (another merchant’s payment answers the same), or no such route.',
  'invalid-state': 'The PUT is not allowed in the payment’s current state, e.g. completed while inprogress, or anything but cancelled once cancelled.',
  'reversal-not-possible': 'PUT cancelled on a completed payment after the late-cancel window, or the acquirer refuses the reversal; the payment stays completed.',
  'payload-too-large': 'The body is larger than the service accepts.',
  'refund-exceeds-original': 'The refund, with the sale’s other refunds (those in flight included), would exceed the sale.',
  'idempotency-conflict': 'This Idempotency-Key was already used with a different request body.',
  'too-many-requests': 'Too many requests from this credential or address; slow down and retry.',
  other: 'An internal error; the request_id identifies it in the service’s logs.',
  unavailable: 'The service could not answer in time (Temporal, the worker or the acquirer is slow or down); retry.',
});
