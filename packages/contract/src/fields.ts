/**
 * Field names and texts that are OUR decisions ([D] in docs/integrators/spi-contract.md), kept in
 * one place so that renaming one is a one-line change. Sitoo's own names ([S]) are written
 * literally in the schemas, since they can't change.
 */
export const D = {
  /** paymentstate field: text for the terminal's UI. */
  message: 'message',
  /** paymentstate field: payload to draw as a QR code, null when there is nothing to scan. */
  qrcode: 'qrcode',
  /** Request header that makes POST /payments idempotent. */
  idempotencyKey: 'idempotency-key',
  /** Response header carrying the request id (also in every error body). */
  requestId: 'x-request-id',
} as const;
