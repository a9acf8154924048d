/** Acquirer operations that change something, each with its own idempotency key. */
export type AcquirerOperation = 'create' | 'cancel' | 'reverse' | 'confirm';

/** The Idempotency-Key for one operation on one payment: every retry of it sends the same. */
export function idempotencyKey(paymentid: string, op: AcquirerOperation): string {
  return `${paymentid}:${op}`;
}
