// The reconciliation of a Stripe merchant through the real processes: a day of card payments on
// Stripe Terminal (the simulator's Stripe-wire API), the Stripe books made to disagree in each
// way, then the reconciliation workflow over the merchant's PaymentIntents and Refunds.
import { randomUUID } from 'node:crypto';
import type { Client } from '@temporalio/client';
import { reconcileWorkflowId, type ReconciliationResult } from '@payments/workflow';
import { Register, fullLedger, type LedgerEntry } from '../support/register';
import { type System, eventually } from '../support/system';
import { connectTemporal } from '../support/temporal';
import { READERS, startStripeSystem } from '../stripe/stripe-system';
import { makeDay, STRIPE_DAY, type Day } from './day';

const run = randomUUID().slice(0, 8);
const SHOP = { username: `rec-s-${run}`, password: 'stripe-password-0123456789', merchant: `rec-stripe-${run}` };
const KEY = `sk_test_rec${run}`;

let system: System;
let temporal: { client: Client; close: () => Promise<void> };
let day: Day;
let period: { from: string; to: string };
const unknownReference = `not-ours-${run}`;

async function inject(what: string, body: unknown = {}): Promise<void> {
  const res = await fetch(`${system.simUrl}/sim/inject/stripe/${what}`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify(body) });
  if (!res.ok) throw new Error(`POST /sim/inject/stripe/${what} → ${res.status} ${await res.text()}`);
}

beforeAll(async () => {
  const from = new Date(Date.now() - 60_000).toISOString();
  ({ system } = await startStripeSystem({
    env: {
      SPI_CREDENTIALS: JSON.stringify([SHOP]),
      MERCHANT_PAYMENT_METHODS: JSON.stringify({ [SHOP.merchant]: 'card' }),
      CARD_PROVIDERS: JSON.stringify({ [SHOP.merchant]: { provider: 'stripe', secretKey: KEY, readers: READERS } }),
      RECONCILIATION_MERCHANTS: '',
      RECONCILIATION_SCHEDULE: 'off',
      ACK_TIMEOUT_MS: '2000',
    },
  }));
  temporal = await connectTemporal(system.temporalAddress, system.env.TEMPORAL_NAMESPACE ?? 'default');
  day = await makeDay(new Register(system.apiUrl, SHOP), STRIPE_DAY);
  await eventually(
    () => temporal.client.workflow.count(`WorkflowType = 'paymentWorkflow' AND Merchant = '${SHOP.merchant}' AND (PaymentState IN ('inprogress', 'ready_to_complete') OR ReversalState = 'pending')`),
    (c) => c.count === 0,
    60_000,
    500,
  );
  await inject(`${day.cancelledReady}/capture`);
  await inject(`${day.silentReady}/keep-hold`);
  await inject(`${day.refundLinked}/refund-again`);
  await inject('records', { like: day.completed, reference: unknownReference });
  // Stripe's `created` is in whole seconds.
  period = { from, to: new Date(Date.now() + 2000).toISOString() };
  await new Promise((r) => setTimeout(r, 2000));
}, 240_000);

afterAll(async () => {
  await temporal?.close();
  await system?.stop();
});

test('a Stripe merchant’s day → each injected mismatch flagged on its payment, nothing else; sums equal the Stripe ledger', async () => {
  const result: ReconciliationResult = await temporal.client.workflow.execute('reconcileWorkflow', {
    workflowId: reconcileWorkflowId(SHOP.merchant, period),
    taskQueue: system.env.TEMPORAL_TASK_QUEUE as string,
    args: [{ merchant: SHOP.merchant, period }],
  });
  expect(result.flags.map((f) => `${f.paymentid} ${f.kind}`).sort()).toEqual(
    [
      `${day.cancelledReady} moved-on-cancelled`,
      `${day.silentReady} hold-open`,
      `${day.refundLinked} refund-beyond-sale`,
      `${unknownReference} unknown-record`,
    ].sort(),
  );
  expect(result.coverage).toEqual([{ merchant: SHOP.merchant, provider: 'stripe', recordPages: 2, records: expect.any(Number), paymentPages: 1, payments: 9 }]);

  const ledger = Object.values(await fullLedger(system.simUrl)).filter((e: LedgerEntry & { merchant?: string }) => e.merchant === SHOP.merchant);
  const sum = (f: (e: LedgerEntry) => number) => ledger.reduce((s, e) => s + f(e), 0);
  const total = (k: 'capturedMinor' | 'refundedMinor' | 'reversedMinor' | 'voidedMinor' | 'netMinor') => result.money.reduce((s, m) => s + m[k], 0);
  expect({ captured: total('capturedMinor'), refunded: total('refundedMinor'), reversed: total('reversedMinor'), voided: total('voidedMinor') }).toEqual({
    captured: sum((e) => e.capturedMinor),
    refunded: sum((e) => e.refundedMinor),
    reversed: sum((e) => e.reversedMinor),
    voided: sum((e) => e.voidedMinor),
  });
  // 100 + 200 − 30 kept; 105 captured and reversed; the injected 102 capture and 100 of no payment; the refund's second 30.
  expect(total('netMinor')).toBe(10000 + 20000 - 3000 + 10200 + 10000 - 3000);
});
