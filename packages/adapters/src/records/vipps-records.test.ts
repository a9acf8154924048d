import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { createSimulator, type Simulator } from '@payments/simulator-core';
import { VippsClient } from '../vipps/vipps-client';
import { vippsIdempotencyKey } from '../vipps/vipps-keys';
import type { ProviderRecord } from './provider-records';
import { createVippsRecords, ledgerRecord, type KnownPaymentPage } from './vipps-records';

// The reader against the simulator's ePayment and Report API: payments made and moved through
// the same client the adapter uses, then the day read back as records.

let dir: string;
let sim: Simulator;
let url: string;
let client: VippsClient;
const MERCHANT = 'vipps-shop';

beforeEach(async () => {
  dir = await mkdtemp(path.join(tmpdir(), 'vipps-records-'));
  sim = await createSimulator({ ledgerPath: path.join(dir, 'ledger.json'), approveDelayMs: 30 });
  ({ url } = await sim.listen(0));
  client = new VippsClient({ merchant: MERCHANT, clientId: 'c', clientSecret: 's', subscriptionKey: 'k-0001', merchantSerialNumber: '123456', environment: 'test', apiUrl: url, currency: 'NOK' });
});
afterEach(async () => {
  await sim.close();
  await rm(dir, { recursive: true, force: true });
});

let n = 0;
const ref = () => `rec-${process.pid}-${Date.now()}-${++n}`;
const nok = (value: number) => ({ currency: 'NOK' as const, value });
const sim_ = async (p: string) => {
  const res = await fetch(`${url}${p}`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: '{}' });
  if (!res.ok) throw new Error(`POST ${p} → ${res.status} ${await res.text()}`);
};

/** A payment the simulated customer approved: reserved, nothing moved yet. */
async function authorized(value: number): Promise<string> {
  const reference = ref();
  await client.createPayment(
    { amount: nok(value), paymentMethod: { type: 'WALLET' }, customerInteraction: 'CUSTOMER_PRESENT', userFlow: 'QR', qrFormat: { format: 'TEXT/TARGETURL' }, reference, paymentDescription: 'test' },
    vippsIdempotencyKey(reference, 'create'),
  );
  for (let i = 0; i < 100 && (await client.getPayment(reference)).state !== 'AUTHORIZED'; i++) await new Promise((r) => setTimeout(r, 20));
  return reference;
}

async function readAll(known: string[], from: string, to: string): Promise<{ records: ProviderRecord[]; pages: number }> {
  const knownPayments = async ({ cursor }: { cursor: string | null }): Promise<KnownPaymentPage> => {
    const at = cursor === null ? 0 : Number(cursor);
    const page = known.slice(at, at + 2);
    return { payments: page.map((paymentid) => ({ paymentid, startedAt: from })), next: at + 2 < known.length ? String(at + 2) : null };
  };
  const reader = createVippsRecords({ merchant: MERCHANT, client, knownPayments, callsPerSecond: 200 });
  const records: ProviderRecord[] = [];
  let cursor: string | null = null;
  let pages = 0;
  do {
    const page: { records: ProviderRecord[]; next: string | null } = await reader.listRecords({ merchant: MERCHANT, from, to, cursor, limit: 500 });
    records.push(...page.records);
    cursor = page.next;
    pages++;
  } while (cursor !== null);
  return { records, pages };
}

const brief = (r: ProviderRecord) => `${r.reference ?? '(none)'} ${r.kind} held=${r.heldMinor} captured=${r.capturedMinor} refunded=${r.refundedMinor} reversed=${r.reversedMinor}`;

test('a day at Vipps → captures and refunds from the Report API funds, each refund under the payment whose key made it, holds of known payments by reference', async () => {
  const from = new Date(Date.now() - 1000).toISOString();
  const sale = await authorized(10000);
  await client.capturePayment(sale, nok(10000), vippsIdempotencyKey(sale, 'capture'));
  const refundPayment = 'refund-payment-0001';
  await client.refundPayment(sale, nok(3000), vippsIdempotencyKey(refundPayment, 'refund'));

  const reversed = await authorized(5000);
  await client.capturePayment(reversed, nok(5000), vippsIdempotencyKey(reversed, 'capture'));
  await client.refundPayment(reversed, nok(5000), vippsIdempotencyKey(reversed, 'reverse-refund'));

  const portal = await authorized(4000);
  await client.capturePayment(portal, nok(4000), vippsIdempotencyKey(portal, 'capture'));
  await sim_(`/sim/vipps/payments/${portal}/refund`); // from the merchant portal: no key of ours

  const held = await authorized(2000);
  const cancelled = await authorized(1000);
  await client.cancelPayment(cancelled, vippsIdempotencyKey(cancelled, 'cancel'));
  const to = new Date(Date.now() + 1000).toISOString();

  const { records } = await readAll([sale, reversed, portal, held, cancelled, 'never-at-vipps-1'], from, to);
  expect(records.map(brief).sort()).toEqual(
    [
      `${sale} sale held=0 captured=10000 refunded=0 reversed=0`,
      `${refundPayment} refund held=0 captured=0 refunded=3000 reversed=0`,
      `${reversed} sale held=0 captured=5000 refunded=0 reversed=0`,
      `${reversed} sale held=0 captured=0 refunded=0 reversed=5000`,
      `${portal} sale held=0 captured=4000 refunded=0 reversed=0`,
      `(none) refund held=0 captured=0 refunded=4000 reversed=0`,
      `${held} sale held=2000 captured=0 refunded=0 reversed=0`,
    ].sort(),
  );
  expect(records.every((r) => r.provider === 'vipps-mobilepay' && r.merchant === MERCHANT && r.currencycode === 'NOK')).toBe(true);
  expect(new Set(records.map((r) => r.id)).size).toBe(records.length);
});

test('the feed outside the period, a reservation kept and a refund paid twice → only the period’s funds; the kept hold and both payouts of the refund', async () => {
  const before = await authorized(7000);
  await client.capturePayment(before, nok(7000), vippsIdempotencyKey(before, 'capture'));
  await new Promise((r) => setTimeout(r, 20));
  const from = new Date().toISOString();
  const sale = await authorized(20000);
  await client.capturePayment(sale, nok(20000), vippsIdempotencyKey(sale, 'capture'));
  await client.refundPayment(sale, nok(3000), vippsIdempotencyKey('refund-payment-0002', 'refund'));
  await sim_(`/sim/vipps/inject/${sale}/refund-again`);
  const silent = await authorized(10600);
  await client.cancelPayment(silent, vippsIdempotencyKey(silent, 'cancel'));
  await sim_(`/sim/vipps/inject/${silent}/keep-hold`);
  const to = new Date(Date.now() + 1000).toISOString();

  const { records } = await readAll([sale, silent], from, to);
  expect(records.map(brief).sort()).toEqual(
    [
      `${sale} sale held=0 captured=20000 refunded=0 reversed=0`,
      `refund-payment-0002 refund held=0 captured=0 refunded=3000 reversed=0`,
      `refund-payment-0002 refund held=0 captured=0 refunded=3000 reversed=0`,
      `${silent} sale held=10600 captured=0 refunded=0 reversed=0`,
    ].sort(),
  );
});

test('the funds feed → its entries with their balances; at its end the same cursor again with tryLater; ledgers of api:MSN → the MSN’s', async () => {
  const sale = await authorized(1000);
  await client.capturePayment(sale, nok(1000), vippsIdempotencyKey(sale, 'capture'));
  const first = await client.getReportFeed('123456', 'funds', null);
  expect(first).toMatchObject({ tryLater: true, items: [{ entryType: 'capture', reference: sale, amount: 1000, balanceBefore: 0, balanceAfter: 1000 }] });
  const again = await client.getReportFeed('123456', 'funds', first.cursor ?? null);
  expect(again).toMatchObject({ cursor: first.cursor, tryLater: true, items: [] });
  expect((await client.getLedgers('api:123456')).items).toEqual([expect.objectContaining({ ledgerId: '123456', settlesForRecipientHandles: ['api:123456'] })]);
});

test('ledger entries that are no payment’s (fees, payouts, new types) → no record', () => {
  const entry = { pspReference: 'p1', time: '2026-12-07T10:00:00Z', reference: 'x', currency: 'NOK' };
  for (const entryType of ['fees-retained', 'scheduled-for-payout', 'top-up', 'correction', 'something-new']) expect(ledgerRecord({ ...entry, entryType, amount: -100 }, MERCHANT)).toBeNull();
  expect(ledgerRecord({ ...entry, entryType: 'retained-disputed-capture', amount: -100 }, MERCHANT)).toMatchObject({ reference: 'x', kind: 'sale', reversedMinor: 100 });
});
