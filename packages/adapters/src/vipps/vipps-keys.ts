import { createHash } from 'node:crypto';

/** The steps of one payment that write at Vipps MobilePay, each with its own Idempotency-Key. */
export type VippsStep = 'create' | 'cancel' | 'capture' | 'refund' | 'reverse-cancel' | 'reverse-refund';

/** Vipps takes at most 50 characters; we keep to letters, digits and '-' like its references. */
const MAX_KEY = 50;

/**
 * The Idempotency-Key of one step of one payment: the same on every retry, in any process, so a
 * retried write replays Vipps's first answer instead of acting twice. A key that would be too
 * long (a long reference) is a digest of it, still the same on every retry.
 */
export function vippsIdempotencyKey(paymentid: string, step: VippsStep): string {
  const key = `${paymentid}-${step}`.replace(/[^A-Za-z0-9-]/g, '-');
  if (key.length <= MAX_KEY) return key;
  return `${createHash('sha256').update(`${paymentid}\n${step}`).digest('hex').slice(0, MAX_KEY - step.length - 1)}-${step}`;
}
