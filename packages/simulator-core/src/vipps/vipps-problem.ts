import { randomUUID } from 'node:crypto';
import type { VippsProblem } from '@payments/contract/wire';

const TITLES: Record<number, string> = {
  400: 'Bad Request',
  401: 'Unauthorized',
  403: 'Forbidden',
  404: 'Not Found',
  409: 'Conflict',
  429: 'Too Many Requests',
  500: 'Internal Server Error',
  503: 'Service Unavailable',
};

/** The problem types the simulator answers; the `type` URI is what a client should branch on. */
export type VippsProblemKind =
  | 'validation'
  | 'missing-header'
  | 'unauthorized'
  | 'not-found'
  | 'reference-conflict'
  | 'idempotency-conflict'
  | 'invalid-state'
  | 'amount'
  | 'rate-limited'
  | 'unavailable'
  | 'internal';

/**
 * A non-2xx answer of the simulated ePayment API, rendered as an RFC 7807 problem
 * (`application/problem+json`, { type, title, status, detail, traceId }).
 */
export class VippsProblemError extends Error {
  constructor(
    readonly status: number,
    readonly kind: VippsProblemKind,
    readonly detail: string,
    readonly extraDetails?: unknown,
  ) {
    super(detail);
    this.name = 'VippsProblemError';
  }

  body(): VippsProblem {
    const body: VippsProblem = {
      type: `https://developer.vippsmobilepay.com/docs/APIs/epayment-api/errors#${this.kind}`,
      title: TITLES[this.status] ?? 'Error',
      status: this.status,
      detail: this.detail,
      traceId: randomUUID(),
    };
    if (this.extraDetails !== undefined) body.extraDetails = this.extraDetails;
    return body;
  }
}
