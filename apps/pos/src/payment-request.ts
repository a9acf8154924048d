import { buildPaymentRequest, type PaymentRequest } from '@payments/contract';
import type { PosCommand } from './args';

/** The POST /payments body Sitoo POS would send for this sale or refund, from this register. */
export function paymentRequest(command: PosCommand, now = new Date()): PaymentRequest {
  const stamp = now.toISOString().replace(/\D/g, '').slice(0, 14);
  return buildPaymentRequest(command.amount, {
    creditpaymentid: command.creditpaymentid,
    currencycode: command.currencycode,
    posid: command.posid,
    storename: 'POS simulator',
    storeexternalid: null,
    receiptid: `${command.posid}-${stamp}`,
    customer: {},
  });
}
