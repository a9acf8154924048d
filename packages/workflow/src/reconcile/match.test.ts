import { addPayments, addRecords, dropOutside, emptyMatch, finishMatch, matchPeriod, openReferences, UNKNOWN_STORE } from './match';
import { dayBefore, instantOf, periodProblem } from './period';
import type { PaymentFact, ProviderRecord } from './types';

const period = { from: '2026-12-06T00:00:00.000Z', to: '2026-12-07T00:00:00.000Z' };
const at = '2026-12-06T10:00:00.000Z';

const payment = (paymentid: string, over: Partial<PaymentFact> = {}): PaymentFact => ({
  paymentid,
  merchant: 'm1',
  storeid: 's1',
  method: 'wallet',
  kind: 'sale',
  amountMinor: 10000,
  currencycode: 'SEK',
  state: 'completed',
  closed: true,
  reversal: 'none',
  creditpaymentid: null,
  startedAt: at,
  ...over,
});

const record = (reference: string | null, over: Partial<ProviderRecord> = {}): ProviderRecord => ({
  provider: 'simulator',
  id: `pay_${reference ?? 'x'}`,
  reference,
  merchant: 'm1',
  kind: 'sale',
  currencycode: 'SEK',
  amountMinor: 10000,
  createdAt: at,
  heldMinor: 0,
  capturedMinor: 10000,
  refundedMinor: 0,
  reversedMinor: 0,
  voidedMinor: 0,
  ...over,
});

const kinds = (payments: PaymentFact[], records: ProviderRecord[]) => matchPeriod(payments, records, period).flags.map((f) => `${f.paymentid}:${f.kind}`);

test('a day where every payment agrees with its provider record → nothing flagged; sums by store', () => {
  const payments = [
    payment('sale'),
    payment('void', { state: 'cancelled', reversal: 'done' }),
    payment('late', { state: 'cancelled', reversal: 'done' }),
    payment('declined', { state: 'cancelled', storeid: 's2' }),
    payment('refund', { kind: 'refund', amountMinor: 3000, creditpaymentid: 'sale' }),
  ];
  const records = [
    record('sale'),
    record('void', { capturedMinor: 0, voidedMinor: 10000 }),
    record('late', { reversedMinor: 10000 }),
    record('declined', { capturedMinor: 0 }),
    record('refund', { kind: 'refund', amountMinor: 3000, capturedMinor: 0, refundedMinor: 3000 }),
  ];
  const m = matchPeriod(payments, records, period);
  expect(m.flags).toEqual([]);
  expect(m.money).toEqual([
    { merchant: 'm1', storeid: 's1', currencycode: 'SEK', capturedMinor: 20000, refundedMinor: 3000, reversedMinor: 10000, voidedMinor: 10000, netMinor: 7000 },
    { merchant: 'm1', storeid: 's2', currencycode: 'SEK', capturedMinor: 0, refundedMinor: 0, reversedMinor: 0, voidedMinor: 0, netMinor: 0 },
  ]);
  expect(m.tallies).toContainEqual({ merchant: 'm1', storeid: 's1', method: 'wallet', kind: 'sale', state: 'cancelled', count: 2, amountMinor: 20000 });
});

test('a capture behind the workflow’s back on a cancelled payment → moved-on-cancelled on that payment', () => {
  expect(kinds([payment('p1', { state: 'cancelled' })], [record('p1')])).toEqual(['p1:moved-on-cancelled']);
});

test('a completed payment with nothing captured, or no record at all → completed-not-captured', () => {
  expect(kinds([payment('p1'), payment('p2')], [record('p1', { capturedMinor: 0, heldMinor: 0 })])).toEqual(['p1:completed-not-captured', 'p2:completed-not-captured']);
});

test('a hold left open after its payment ended → hold-open; not while the payment still runs', () => {
  expect(kinds([payment('p1', { state: 'cancelled' })], [record('p1', { capturedMinor: 0, heldMinor: 10000 })])).toEqual(['p1:hold-open']);
  expect(kinds([payment('p1', { state: 'ready_to_complete', closed: false })], [record('p1', { capturedMinor: 0, heldMinor: 10000 })])).toEqual([]);
});

test('a refund paid twice → refund-beyond-sale on the refund; refunds past the sale → on the sale', () => {
  const sale = payment('s');
  const refund = payment('r', { kind: 'refund', amountMinor: 3000, creditpaymentid: 's' });
  expect(kinds([sale, refund], [record('s'), record('r', { kind: 'refund', capturedMinor: 0, refundedMinor: 6000 })])).toEqual(['r:refund-beyond-sale']);
  const big = payment('r2', { kind: 'refund', amountMinor: 8000, creditpaymentid: 's' });
  expect(
    kinds([sale, refund, big], [record('s'), record('r', { kind: 'refund', capturedMinor: 0, refundedMinor: 3000 }), record('r2', { kind: 'refund', capturedMinor: 0, refundedMinor: 8000 })]),
  ).toEqual(['s:refund-beyond-sale']);
});

test('a provider record no payment knows → unknown-record, its money counted apart; one of another day → not flagged', () => {
  const m = matchPeriod([], [record('ghost'), record(null, { id: 'pay_noref' }), record('other-day')], period, { paymentsElsewhere: new Set(['other-day']) });
  expect(m.flags.map((f) => `${f.paymentid}:${f.kind}`)).toEqual(['ghost:unknown-record', 'pay_noref:unknown-record']);
  expect(m.money).toEqual([{ merchant: 'm1', storeid: UNKNOWN_STORE, currencycode: 'SEK', capturedMinor: 20000, refundedMinor: 0, reversedMinor: 0, voidedMinor: 0, netMinor: 20000 }]);
  const state = emptyMatch();
  addRecords(state, [record('ghost'), record('late', { createdAt: '2026-12-07T00:10:00.000Z' })]);
  expect(openReferences(state, period)).toEqual(['ghost']);
});

test('reversals pending or failed → flagged with what the provider shows', () => {
  const flags = matchPeriod([payment('p1', { state: 'cancelled', reversal: 'failed' }), payment('p2', { closed: false, reversal: 'pending' })], [record('p1'), record('p2')], period).flags;
  expect(flags.map((f) => `${f.paymentid}:${f.kind}`)).toEqual(['p1:moved-on-cancelled', 'p1:reversal-failed', 'p2:reversal-pending']);
  expect(flags[1]?.evidence).toContain('10000 captured net');
});

test('periods: a bad one is named; the day before in a time zone; a date is local midnight', () => {
  expect(periodProblem({ from: '2026-12-07', to: '2026-12-06' })).toBe('from 2026-12-07 is not before to 2026-12-06');
  expect(periodProblem({ from: 'yesterday', to: '2026-12-06' })).toContain('"yesterday" is not an ISO 8601 instant');
  expect(periodProblem({ from: '2026-01-01', to: '2026-03-01' })).toContain('longer than 31 days');
  expect(dayBefore(Date.parse('2026-12-07T01:30:00Z'), 'Europe/Stockholm')).toEqual({ from: '2026-12-05T23:00:00.000Z', to: '2026-12-06T23:00:00.000Z' });
  expect(dayBefore(Date.parse('2026-03-30T03:00:00Z'), 'Europe/Stockholm')).toEqual({ from: '2026-03-28T23:00:00.000Z', to: '2026-03-29T22:00:00.000Z' });
  expect(instantOf('2026-12-06', 'UTC')).toBe('2026-12-06T00:00:00.000Z');
});

test('a completed sale whose workflow still runs (refund window) → checked as ended; its currency from its record', () => {
  const running = payment('p1', { closed: false, currencycode: '' });
  expect(kinds([running], [record('p1', { capturedMinor: 0, heldMinor: 10000 })])).toEqual(['p1:completed-not-captured', 'p1:hold-open']);
  expect(matchPeriod([running], [record('p1', { currencycode: 'NOK' })], period).money[0]?.currencycode).toBe('NOK');
});

test('page by page, through JSON between pages (continue-as-new) → the same report as all at once', () => {
  const payments = Array.from({ length: 30 }, (_, i) => payment(`p${i}`, i % 7 === 0 ? { state: 'cancelled' } : {}));
  const refunds = [payment('r1', { kind: 'refund', amountMinor: 3000, creditpaymentid: 'p1' }), payment('r2', { kind: 'refund', amountMinor: 9000, creditpaymentid: 'p1' })];
  const all = [...refunds, ...payments];
  const records = [
    ...payments.map((p) => record(p.paymentid)),
    record('r1', { kind: 'refund', capturedMinor: 0, refundedMinor: 3000 }),
    record('r2', { kind: 'refund', capturedMinor: 0, refundedMinor: 9000 }),
    record('ghost'),
    record('next-day', { createdAt: '2026-12-07T00:30:00.000Z' }),
  ];
  let state = emptyMatch();
  for (let i = 0; i < records.length; i += 4) {
    addRecords(state, records.slice(i, i + 4));
    state = JSON.parse(JSON.stringify(state));
  }
  for (let i = 0; i < all.length; i += 4) {
    addPayments(state, all.slice(i, i + 4));
    state = JSON.parse(JSON.stringify(state));
  }
  dropOutside(state, period);
  expect(Object.keys(state.open)).toEqual(['ghost']);
  const paged = finishMatch(state, period);
  expect(paged).toEqual(matchPeriod(all, records, period));
  expect(paged.flags.map((f) => `${f.paymentid}:${f.kind}`)).toEqual(['ghost:unknown-record', 'p0:moved-on-cancelled', 'p1:refund-beyond-sale', 'p14:moved-on-cancelled', 'p21:moved-on-cancelled', 'p28:moved-on-cancelled', 'p7:moved-on-cancelled']);
});
