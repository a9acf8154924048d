import { formatMinor } from '@payments/contract/money';
import { paymentRequest } from '@payments/testing';

/** A small deterministic PRNG (mulberry32), so two runs offer the same mix in the same order. */
export function prng(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

/** Minor units as Sitoo writes them: "398.00", "-129.00". */
const decimal = (minor: number): string => formatMinor(minor, 'SEK');

/** A sale's whole amount in minor units: whole kronor, so the simulator's scripted cents (.51–.55) never trigger. */
export const saleAmount = (random: () => number): number => (10 + Math.floor(random() * 990)) * 100;

/** The contract's POST /payments body from a bench register, with a three-line cart like a small real receipt. */
export function paymentBody(o: { register: number; receipt: number; amountMinor: number; creditpaymentid: string | null }): string {
  const posid = `SIE00001600000${String(o.register).padStart(4, '0')}`;
  const each = Math.trunc(o.amountMinor / 3);
  const last = o.amountMinor - 2 * each;
  const item = (n: number, totalMinor: number) => ({
    itemid: `item-${n}`,
    sku: `SKU-${1000 + n}`,
    productname: ['Coffee beans 500 g', 'Oat milk 1 l', 'Cinnamon bun'][n] ?? 'Item',
    productname2: '',
    note: '',
    vatvalue: 12,
    total: decimal(totalMinor),
    vat: decimal(Math.trunc(totalMinor * 0.12)),
    manual_discount: '0.00',
    manual_discountvat: '0.00',
    manual_discountname: null,
    quantity: totalMinor < 0 ? -1 : 1,
    unitsize: 1,
    unitlabel: 'st',
    discounts: [],
  });
  return JSON.stringify(
    paymentRequest(decimal(o.amountMinor), {
      creditpaymentid: o.creditpaymentid,
      storename: 'Bench store',
      storeexternalid: 'bench-1',
      posid,
      receiptid: `${posid}${o.receipt}`,
      customer: {},
      cartitems: [item(0, each), item(1, each), item(2, last)],
    }),
  );
}
