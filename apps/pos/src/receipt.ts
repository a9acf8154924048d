import { RECEIPT_TITLE_MAX, type Payment } from '@payments/contract';

/** Splits text into pieces of at most `width` characters, at spaces where it can. */
function wrap(text: string, width: number): string[] {
  const lines: string[] = [];
  let rest = text.trim();
  while (rest.length > width) {
    const space = rest.lastIndexOf(' ', width);
    const cut = space > 0 ? space : width;
    lines.push(rest.slice(0, cut).trimEnd());
    rest = rest.slice(cut).trimStart();
  }
  lines.push(rest);
  return lines;
}

/** Value right-aligned after a left title, as two columns; a value too long for the line continues right-aligned below. */
function twoColumns(title: string, value: string, width: number): string[] {
  const room = width - RECEIPT_TITLE_MAX - 1;
  const [first = '', ...more] = wrap(value, room);
  return [title.padEnd(width - first.length) + first, ...more.map((piece) => piece.padStart(width))];
}

/**
 * One receipt line as Sitoo prints it: with a tab, the title (before the first tab, at most 12
 * characters) on the left and the value (everything after it) on the right; without one, the
 * text from the left margin, wrapped.
 */
export function receiptLines(line: string, width: number): string[] {
  const tab = line.indexOf('\t');
  if (tab < 0) return wrap(line, width);
  const title = line.slice(0, tab).slice(0, RECEIPT_TITLE_MAX);
  const value = line.slice(tab + 1).replace(/\t/g, ' ');
  return twoColumns(title, value, width);
}

/** The payment's part of a receipt, at a fixed width: the payment row, the receiptrow under it, then the receipt section. */
export function formatReceipt(payment: Payment, width = 32): string[] {
  const { paymentstate: s } = payment;
  const rule = '-'.repeat(width);
  const name = (payment.paymentname || 'Payment').slice(0, RECEIPT_TITLE_MAX + 4);
  const lines = [rule, ...twoColumnsFree(name, `${payment.amount} ${payment.currencycode}`, width)];
  if (s.receiptrow !== '') lines.push(...wrap(s.receiptrow, width - 2).map((l) => `  ${l}`));
  if (s.receiptsection.length > 0) {
    lines.push('');
    for (const line of s.receiptsection) lines.push(...receiptLines(line, width));
  }
  lines.push(rule);
  return lines;
}

/** The payment row: the name takes what the amount leaves. */
function twoColumnsFree(left: string, right: string, width: number): string[] {
  if (left.length + 1 + right.length <= width) return [left.padEnd(width - right.length) + right];
  return [left, right.padStart(width)];
}
