import { definePart } from './part';
import { wholeNumber } from './variable';

const MINUTE = 60_000;

export const PAYMENT_EXPIRY_MS = wholeNumber({ name: 'PAYMENT_EXPIRY_MS', default: 3 * MINUTE, min: 1, unit: 'ms', meaning: '`inprogress` → `cancelled` when the customer never approves' });
export const ACK_TIMEOUT_MS = wholeNumber({
  name: 'ACK_TIMEOUT_MS',
  default: 3 * MINUTE,
  min: 1,
  unit: 'ms',
  meaning: '`ready_to_complete` → reversed and `cancelled` when the register does not acknowledge (Sitoo’s 3 minutes)',
});
export const LATE_CANCEL_WINDOW_MS = wholeNumber({ name: 'LATE_CANCEL_WINDOW_MS', default: 30 * MINUTE, unit: 'ms', meaning: 'how long after `completed` a register’s cancel still reverses the money' });
export const REFUND_WINDOW_MS = wholeNumber({ name: 'REFUND_WINDOW_MS', default: 30 * 24 * 60 * MINUTE, unit: 'ms', meaning: 'how long after `completed` refunds may credit a sale' });

/** The payment's durable timers; the API puts them in each workflow's input. */
export const timers = definePart('timers', [PAYMENT_EXPIRY_MS, ACK_TIMEOUT_MS, LATE_CANCEL_WINDOW_MS, REFUND_WINDOW_MS], (env) => ({
  expiryMs: PAYMENT_EXPIRY_MS.read(env),
  ackTimeoutMs: ACK_TIMEOUT_MS.read(env),
  lateCancelWindowMs: LATE_CANCEL_WINDOW_MS.read(env),
  refundWindowMs: REFUND_WINDOW_MS.read(env),
}));
