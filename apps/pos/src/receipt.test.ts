import type { Payment } from '@payments/contract';
import { formatReceipt, receiptLines } from './receipt';

const payment = (over: Partial<Payment['paymentstate']> = {}): Payment => ({
  paymentid: 'p-1',
  creditpaymentid: null,
  paymentname: 'Custom Payment',
  paymentstate: {
    state: 'completed',
    message: 'Payment completed',
    qrcode: null,
    receiptrow: 'Wallet payment ref 8F3A21',
    receiptsection: ['Wallet\tSwish', 'Ref\t8F3A21', 'Amount\t398.00 SEK'],
    ...over,
  },
  amount: '398.00',
  currencycode: 'SEK',
  storeid: '1',
  storename: 'Flagship',
  storeexternalid: null,
  posid: 'POS-SIM-1',
  receiptid: 'R1',
  customer: null,
  cartitems: [],
});

test('a 32-character receipt: the payment row, the receiptrow under it, the section in two columns', () => {
  expect(formatReceipt(payment(), 32)).toEqual([
    '--------------------------------',
    'Custom Payment        398.00 SEK',
    '  Wallet payment ref 8F3A21',
    '',
    'Wallet                     Swish',
    'Ref                       8F3A21',
    'Amount                398.00 SEK',
    '--------------------------------',
  ]);
});

test('every line is exactly the width or shorter, at 32 and at 42 characters', () => {
  for (const width of [32, 42]) {
    const lines = formatReceipt(payment({ receiptsection: ['Card\tVISA **** 4242', 'A note without a tab that is long enough to wrap twice over', 'Ref\t' + 'X'.repeat(50)] }), width);
    for (const l of lines) expect(l.length).toBeLessThanOrEqual(width);
  }
});

test('the title is what stands before the first tab, cut to 12 characters; the value is everything after it', () => {
  expect(receiptLines('Authorisation code\tA1\tB2', 32)).toEqual([`Authorisatio${' '.repeat(15)}A1 B2`]);
});

test('a value too long for its line continues right-aligned on the next', () => {
  expect(receiptLines('Ref\tabcdefghij klmnopqrst uvwxyz', 32)).toEqual([`Ref${' '.repeat(19)}abcdefghij`, `${' '.repeat(15)}klmnopqrst uvwxyz`]);
});

test('a line without a tab prints from the left margin, wrapped at a space', () => {
  expect(receiptLines('Thank you for shopping with us today', 32)).toEqual(['Thank you for shopping with us', 'today']);
});

test('an empty section prints the payment row only', () => {
  expect(formatReceipt(payment({ receiptrow: '', receiptsection: [] }), 32)).toEqual([
    '--------------------------------',
    'Custom Payment        398.00 SEK',
    '--------------------------------',
  ]);
});
