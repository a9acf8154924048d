/** An error answer in Stripe's shape: `{ "error": { type, code?, message, param?, … } }`. */
export class StripeWireError extends Error {
  constructor(
    readonly status: number,
    readonly type: 'invalid_request_error' | 'card_error' | 'api_error' | 'idempotency_error' | 'authentication_error' | 'rate_limit_error',
    message: string,
    readonly extra: { code?: string; param?: string; decline_code?: string; doc_url?: string; payment_intent?: unknown } = {},
  ) {
    super(message);
    this.name = 'StripeWireError';
  }

  /** The body Stripe sends. */
  body(): { error: Record<string, unknown> } {
    return { error: { type: this.type, message: this.message, ...this.extra } };
  }
}

/** `resource_missing` for an id this account does not hold. */
export function missing(kind: string, id: string, paramName = 'id'): StripeWireError {
  return new StripeWireError(404, 'invalid_request_error', `No such ${kind}: '${id}'`, { code: 'resource_missing', param: paramName });
}
