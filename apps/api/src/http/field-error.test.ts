import { Compile } from 'typebox/compile';
import { PaymentRequest } from '@payments/contract';
import { assertValid } from './field-error';
import type { SpiError } from './spi-error';

const check = Compile(PaymentRequest);
const valid = { amount: '398.00', currencycode: 'SEK', posid: 'SIE0000160000051' };

/** The error body's fields for a body, as assertValid throws them. */
function refusal(body: unknown): Pick<SpiError, 'code' | 'message' | 'field'> | 'valid' {
  try {
    assertValid(check, body);
    return 'valid';
  } catch (err) {
    const { code, message, field } = err as SpiError;
    return { code, message, field };
  }
}

// TypeBox 1.x reports errors as JSON Schema does; the error bodies say what they said on 0.34.
test.each([
  [{}, 'field-missing', 'amount is required', 'amount'],
  [{ amount: '1.00', currencycode: 'SEK' }, 'field-missing', 'posid is required', 'posid'],
  [{ ...valid, customer: 5 }, 'field-type', 'customer must be an object or null', 'customer'],
  [{ ...valid, customer: { mobile: 'x'.repeat(33) } }, 'field-validation', 'customer.mobile is not valid: expected string length less or equal to 32', 'customer.mobile'],
  [{ ...valid, creditpaymentid: '' }, 'field-validation', 'creditpaymentid is not valid: expected string length greater or equal to 1', 'creditpaymentid'],
  [{ ...valid, creditpaymentid: 5 }, 'field-type', 'creditpaymentid must be a string or null', 'creditpaymentid'],
  [{ ...valid, cartitems: [{}, { unitsize: true }] }, 'field-type', 'cartitems.1.unitsize must be a string or a number or null', 'cartitems.1.unitsize'],
  [{ ...valid, cartitems: [{ discounts: Array(101).fill({}) }] }, 'field-validation', 'cartitems.0.discounts is not valid: expected array length to be less or equal to 100', 'cartitems.0.discounts'],
  [{ ...valid, cartitems: [{ quantity: Infinity }] }, 'field-type', 'cartitems.0.quantity must be a number', 'cartitems.0.quantity'],
  [[valid], 'bad-request', 'the body must be a JSON object', undefined],
])('%j → %s: %s', (body, code, message, field) => {
  expect(refusal(body)).toEqual({ code, message, field });
});

test('a valid body with fields the contract does not name → accepted', () => {
  expect(refusal({ ...valid, somethingnew: { a: 1 } })).toBe('valid');
});
