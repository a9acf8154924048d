import { formatMinor, parseAmount } from './money';
import type { CartItem, PaymentRequest } from './schemas';

/** The VAT rate of the default cart row, in percent; prices include it, as on a Swedish receipt. */
const VAT_PERCENT = 25;

/** One cart row for the whole amount: a T-shirt sold, or returned (quantity -1) for a negative amount. */
function wholeAmountRow(amount: string, currencycode: string): CartItem {
  const parsed = parseAmount(amount, currencycode);
  const minor = parsed.ok ? parsed.minor : 0;
  return {
    itemid: 1,
    sku: 'TSHIRT-M',
    productname: 'T-shirt',
    quantity: minor < 0 ? -1 : 1,
    total: amount,
    vat: formatMinor(Math.round((minor * VAT_PERCENT) / (100 + VAT_PERCENT)), currencycode),
    vatvalue: VAT_PERCENT,
  };
}

/**
 * A POST /payments body as Sitoo POS sends it: `amount` ("398.00" a sale, "-129.00" a refund:
 * give it `creditpaymentid` to credit a sale) at the example store and register, with one cart
 * row for the whole amount and a fresh receipt id. `overrides` replace any field.
 */
export function buildPaymentRequest(amount: string, overrides: Partial<PaymentRequest> = {}): PaymentRequest {
  const currencycode = overrides.currencycode ?? 'SEK';
  const posid = overrides.posid ?? 'SIE0000160000051';
  return {
    creditpaymentid: null,
    paymentname: 'Custom Payment',
    amount,
    currencycode,
    storeid: '1',
    storename: 'Flagship',
    storeexternalid: 'FS-1',
    posid,
    receiptid: `${posid}${Math.floor(Math.random() * 1e6)}`,
    customer: { mobile: '+46701234567' },
    cartitems: [wholeAmountRow(amount, currencycode)],
    ...overrides,
  };
}
