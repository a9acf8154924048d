import { PaymentRequest } from '@payments/contract';
import { Value } from 'typebox/value';
import { paymentRequest } from './payment-request';

test('paymentRequest("398.00") → the contract’s sale body, which the contract accepts', () => {
  const body = paymentRequest('398.00');
  expect(Value.Check(PaymentRequest, body)).toBe(true);
  expect(body).toMatchObject({ amount: '398.00', currencycode: 'SEK', creditpaymentid: null, cartitems: [{ total: '398.00', quantity: 1 }] });
});

test('extra fields replace the defaults, invalid ones too', () => {
  const body = paymentRequest('10.00', { posid: 'P-9', amount: 10 });
  expect(body.posid).toBe('P-9');
  expect(Value.Check(PaymentRequest, body)).toBe(false);
});
