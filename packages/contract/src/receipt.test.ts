import { RECEIPT_TITLE_MAX, receiptLine } from './receipt';

test('a receipt line is title, tab, value, with the title cut to what Sitoo prints', () => {
  expect(receiptLine('Wallet', 'SimPay')).toBe('Wallet\tSimPay');
  const long = receiptLine('Authorisation code', '123');
  expect(long.split('\t')[0]).toHaveLength(RECEIPT_TITLE_MAX);
  expect(long.split('\t')[1]).toBe('123');
});

test('a tab in the title cannot shift the columns', () => {
  expect(receiptLine('a\tb', 'v').split('\t')).toEqual(['a b', 'v']);
});
