import { PaymentRequest } from '@payments/contract';
import { Value } from 'typebox/value';
import { paymentRequest } from './payment-request';

test('paymentRequest("398.00") → a body the contract accepts, one cart row for the whole amount', () => {
  const body = paymentRequest('398.00');
  expect(Value.Check(PaymentRequest, body)).toBe(true);
  expect(body).toMatchObject({ amount: '398.00', currencycode: 'SEK', creditpaymentid: null, cartitems: [{ total: '398.00', quantity: 1 }] });
});

test('a refund crediting a sale → negative amount and the sale as creditpaymentid, still valid', () => {
  const body = paymentRequest('-129.00', { creditpaymentid: 'sale-1' });
  expect(Value.Check(PaymentRequest, body)).toBe(true);
  expect(body).toMatchObject({ amount: '-129.00', creditpaymentid: 'sale-1' });
});

test('bodies built one after another → different receipt ids, as separate sales have', () => {
  const ids = new Set(Array.from({ length: 20 }, () => paymentRequest('1.00').receiptid));
  expect(ids.size).toBeGreaterThan(1);
});

test('extra fields replace the defaults, invalid ones too', () => {
  const body = paymentRequest('10.00', { posid: 'P-9', amount: 10 });
  expect(body.posid).toBe('P-9');
  expect(Value.Check(PaymentRequest, body)).toBe(false);
});
