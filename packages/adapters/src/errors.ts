import type { AcquirerPayment } from './acquirer';

/** No answer, or one that may change on retry: network error, timeout, 5xx, 429. Retry. */
export class TransientError extends Error {
  constructor(
    message: string,
    readonly status: number | null = null,
    options?: { cause?: unknown },
  ) {
    super(message, options);
    this.name = 'TransientError';
  }
}

/** A definitive answer that is not what was asked for; retrying changes nothing. */
export class RejectedError extends Error {
  constructor(
    message: string,
    readonly status: number,
    /** The `error` field of the answer, e.g. 'reference-conflict'. */
    readonly code: string,
  ) {
    super(message);
    this.name = 'RejectedError';
  }
}

/** Cancel came too late: the money moved. The payment is attached so the caller can reverse it. */
export class AlreadyApprovedError extends RejectedError {
  constructor(readonly payment: AcquirerPayment) {
    super(`payment ${payment.id} was already approved`, 409, 'already-approved');
    this.name = 'AlreadyApprovedError';
  }
}

/** The acquirer will not give this money back (e.g. the scheme forbids it once confirmed). */
export class ReversalRefusedError extends RejectedError {
  constructor(message: string) {
    super(message, 422, 'reversal-refused');
    this.name = 'ReversalRefusedError';
  }
}

/** The register's terminal is running another transaction. */
export class TerminalBusyError extends RejectedError {
  constructor(
    message: string,
    readonly openReference: string | null,
  ) {
    super(message, 409, 'busy');
    this.name = 'TerminalBusyError';
  }
}

/** The acquirer or terminal does not know the id. */
export class NotFoundError extends RejectedError {
  constructor(message: string) {
    super(message, 404, 'not-found');
    this.name = 'NotFoundError';
  }
}

/** Whether a retry may succeed. */
export function isTransient(err: unknown): err is TransientError {
  return err instanceof TransientError;
}
