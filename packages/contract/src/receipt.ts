/** Sitoo prints the part of a receipt line before the first tab as a title of at most 12 characters. */
export const RECEIPT_TITLE_MAX = 12;

/** A two-column receipt line; the title is cut to what Sitoo can print and never holds a tab. */
export function receiptLine(title: string, value: string): string {
  const clean = title.replace(/\t/g, ' ').slice(0, RECEIPT_TITLE_MAX);
  return `${clean}\t${value}`;
}
