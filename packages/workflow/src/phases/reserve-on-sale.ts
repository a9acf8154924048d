import { FAILURE, refusalOf } from '../failures';
import { TEXT } from '../texts';
import type { PaymentRun } from './run';
import { shortCall } from './steps';

/** A refund that credits a sale first reserves its amount there, so refunds never exceed it. */
export async function reserveOnSale(run: PaymentRun): Promise<void> {
  const { input, linkedSale } = run;
  if (!linkedSale) return;
  try {
    const request = {
      refundPaymentId: input.paymentid,
      merchant: input.merchant,
      currencycode: input.request.currencycode,
      amountMinor: Math.abs(input.amountMinor),
    };
    await shortCall('reserveRefund', { salePaymentId: linkedSale, request }, { summary: `Reserve ${run.money} on sale ${linkedSale}` });
    run.reservation = { admitted: true };
  } catch (err) {
    // Any refusal the sale gives that is not about the amount reads as an unusable creditpaymentid.
    const refused = refusalOf(err, Object.values(FAILURE));
    if (!refused) throw err;
    const code = refused.type === FAILURE.refundExceedsOriginal ? FAILURE.refundExceedsOriginal : FAILURE.fieldValidation;
    run.reservation = { admitted: false, code, message: refused.message };
    run.setState('cancelled', TEXT.refundRefused);
  }
}
