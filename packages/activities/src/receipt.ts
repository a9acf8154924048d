import type { AcquirerPayment } from '@payments/adapters';
import { formatMinor, receiptLine } from '@payments/contract';

/** The receipt lines of an approved payment: one row under the payment line, and a section. */
export function buildReceipt(payment: AcquirerPayment): { receiptrow: string; receiptsection: string[] } {
  const { scheme, reference, last4 } = payment.receipt;
  const refund = payment.kind === 'refund';
  const amount = receiptLine(refund ? 'Refunded' : 'Amount', `${formatMinor(payment.amountMinor, payment.currencycode)} ${payment.currencycode}`);
  if (payment.method === 'card') {
    const card = last4 ? `•••• ${last4}` : scheme;
    return {
      receiptrow: `${refund ? 'Card refund' : 'Card'} ${card}`,
      receiptsection: [receiptLine('Card', last4 ? `${scheme} ${card}` : scheme), receiptLine('Ref', reference), amount],
    };
  }
  return {
    receiptrow: `${refund ? 'Wallet refund' : 'Wallet payment'} ref ${reference}`,
    receiptsection: [receiptLine('Wallet', scheme), receiptLine('Ref', reference), amount],
  };
}
