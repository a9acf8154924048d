import { Value } from 'typebox/value';
import { buildPaymentRequest } from './build-payment-request';
import { PaymentRequest } from './schemas';

test('buildPaymentRequest("398.00") → a sale the contract accepts, one cart row for the whole amount with its VAT', () => {
  const body = buildPaymentRequest('398.00');
  expect(Value.Check(PaymentRequest, body)).toBe(true);
  expect(body).toMatchObject({ amount: '398.00', currencycode: 'SEK', creditpaymentid: null, posid: 'SIE0000160000051' });
  expect(body.cartitems).toEqual([expect.objectContaining({ total: '398.00', quantity: 1, vat: '79.60', vatvalue: 25 })]);
});

test('a refund crediting a sale → negative amount, the sale as creditpaymentid, the row returned (quantity -1)', () => {
  const body = buildPaymentRequest('-129.00', { creditpaymentid: 'sale-1' });
  expect(Value.Check(PaymentRequest, body)).toBe(true);
  expect(body).toMatchObject({ amount: '-129.00', creditpaymentid: 'sale-1' });
  expect(body.cartitems).toEqual([expect.objectContaining({ total: '-129.00', quantity: -1, vat: '-25.80' })]);
});

test('another register and currency → the receipt id starts with the register, the VAT in that currency', () => {
  const body = buildPaymentRequest('1000', { posid: 'P-9', currencycode: 'JPY' });
  expect(body.receiptid).toMatch(/^P-9\d+$/);
  expect(body.cartitems?.[0]).toMatchObject({ total: '1000', vat: '200' });
});

test('bodies built one after another → different receipt ids, as separate sales have', () => {
  const ids = new Set(Array.from({ length: 20 }, () => buildPaymentRequest('1.00').receiptid));
  expect(ids.size).toBeGreaterThan(1);
});
