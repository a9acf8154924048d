import type { Acquirer } from '../acquirer';
import { VippsAcquirer } from './vipps-acquirer';
import { VippsClient, type VippsMobilePayOptions } from './vipps-client';

export { VippsAcquirer, parseVippsRefundId, vippsRefundId } from './vipps-acquirer';
export { VippsClient, VippsProblemError, VIPPS_BASE_URLS, type VippsMobilePayOptions } from './vipps-client';
export { vippsIdempotencyKey, type VippsStep } from './vipps-keys';
export { VIPPS_NAME, VIPPS_TEXT, vippsPayment } from './vipps-payment';

/**
 * One Vipps MobilePay sales unit as the acquirer of a merchant's wallet payments: the register
 * shows the payment's one-time QR code, the customer approves in the app. No terminal: the
 * wallet path never uses one.
 */
export function createVippsMobilePayProvider(options: VippsMobilePayOptions): { acquirer: Acquirer } {
  return { acquirer: new VippsAcquirer(new VippsClient(options)) };
}
