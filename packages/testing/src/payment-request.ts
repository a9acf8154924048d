// The POST /payments body as Sitoo POS sends it, for the tests and the bench.

/**
 * A payment request with the given amount ("398.00" a sale, "-129.00" a refund: give it
 * `creditpaymentid`), one cart row for the whole amount and a fresh receipt id; `extra`
 * replaces or adds fields, invalid ones too (the bad-input tests send them).
 */
export function paymentRequest(amount: string, extra: Record<string, unknown> = {}): Record<string, unknown> {
  return {
    creditpaymentid: null,
    paymentname: 'Custom Payment',
    amount,
    currencycode: 'SEK',
    storeid: '1',
    storename: 'Flagship',
    storeexternalid: 'FS-1',
    posid: 'SIE0000160000051',
    receiptid: `SIE0000160000051${Math.floor(Math.random() * 1e6)}`,
    customer: { mobile: '+46701234567' },
    cartitems: [{ itemid: 1, sku: 'TSHIRT-M', productname: 'T-shirt', quantity: 1, total: amount, vat: '0.00', vatvalue: 25 }],
    ...extra,
  };
}
