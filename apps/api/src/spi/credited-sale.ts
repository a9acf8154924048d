import { findPayment } from './find-payment';
import type { PaymentContext } from './payment-context';
import { SpiError } from '../http';

/** The same words the refund activity uses when the sale is gone, so every such refusal reads alike. */
const NOT_REFUNDABLE = 'creditpaymentid does not refer to a refundable sale';

/**
 * Before a refund reaches the sale it credits: that sale must be the merchant's own. An unknown
 * id and another merchant's payment get one and the same answer, so a refund says nothing about
 * other merchants' payments (whose workflow would refuse them in other words).
 */
export async function assertOwnCreditedPayment(ctx: PaymentContext, creditpaymentid: string, merchant: string): Promise<void> {
  try {
    await findPayment(ctx, creditpaymentid, merchant);
  } catch (err) {
    if (err instanceof SpiError && err.code === 'not-found') throw new SpiError('field-validation', NOT_REFUNDABLE, 'creditpaymentid');
    throw err;
  }
}
