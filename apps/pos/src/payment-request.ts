import type { PaymentRequest } from '@payments/contract';
import type { PosCommand } from './args';

/** The POST /payments body Sitoo POS would send for this sale or refund: one cart row for the whole amount. */
export function paymentRequest(command: PosCommand, now = new Date()): PaymentRequest {
  const stamp = now.toISOString().replace(/\D/g, '').slice(0, 14);
  return {
    creditpaymentid: command.creditpaymentid,
    paymentname: 'Custom Payment',
    amount: command.amount,
    currencycode: command.currencycode,
    storeid: '1',
    storename: 'POS simulator',
    storeexternalid: null,
    posid: command.posid,
    receiptid: `${command.posid}-${stamp}`,
    customer: {},
    cartitems: [
      {
        itemid: 1,
        sku: command.kind === 'refund' ? 'RETURN' : 'ITEM',
        productname: command.kind === 'refund' ? 'Returned item' : 'Item',
        quantity: command.kind === 'refund' ? -1 : 1,
        total: command.amount,
        vat: '0.00',
        vatvalue: 0,
      },
    ],
  };
}
