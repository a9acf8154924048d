import { createHash, randomUUID } from 'node:crypto';
import { Compile } from 'typebox/compile';
import { PaymentIdParam } from '@payments/contract';
import { SpiError } from '../http';

const checkPaymentId = Compile(PaymentIdParam);
const PRINTABLE_KEY = /^[\x20-\x7E]{1,128}$/;

/** Whether a string could be a paymentid: bounded length, a URL-safe charset. */
export function isPaymentId(value: unknown): value is string {
  return checkPaymentId.Check(value);
}

/** The paymentid in a path, or 404 for anything that could not be one of ours (as for an unknown id). */
export function paymentIdFromPath(value: string | undefined): string {
  if (!isPaymentId(value)) throw new SpiError('not-found', 'no such payment');
  return value;
}

/** The Idempotency-Key header: absent → null; present, it must be 1–128 printable ASCII characters. */
export function idempotencyKeyFrom(header: string | undefined): string | null {
  if (header === undefined || header === '') return null;
  if (!PRINTABLE_KEY.test(header)) {
    throw new SpiError('bad-request', 'Idempotency-Key must be 1 to 128 printable ASCII characters');
  }
  return header;
}

/**
 * The paymentid of a new payment: random, or with an Idempotency-Key a UUID-shaped digest of
 * merchant and key (RFC 9562 version 8), so a retried POST finds the same workflow and two
 * merchants' keys never meet.
 */
export function newPaymentId(merchant: string, idempotencyKey: string | null): string {
  if (idempotencyKey === null) return randomUUID();
  const b = createHash('sha256').update(`${merchant}\0${idempotencyKey}`).digest().subarray(0, 16);
  b[6] = ((b[6] ?? 0) & 0x0f) | 0x80;
  b[8] = ((b[8] ?? 0) & 0x3f) | 0x80;
  const h = b.toString('hex');
  return `${h.slice(0, 8)}-${h.slice(8, 12)}-${h.slice(12, 16)}-${h.slice(16, 20)}-${h.slice(20)}`;
}
