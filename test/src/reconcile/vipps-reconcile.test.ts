// The reconciliation of a Vipps MobilePay merchant through the real processes: a day of wallet
// payments on the simulator's ePayment API, the Vipps books made to disagree in each way the
// simulator can, then the reconciliation workflow over the sales unit's Report API funds and the
// reservations of the payments it knows.
import { randomUUID } from 'node:crypto';
import type { Client } from '@temporalio/client';
import { reconcileWorkflowId, type ReconciliationResult } from '@payments/workflow';
import { Register } from '../support/register';
import { System, eventually, freePort } from '../support/system';
import { connectTemporal } from '../support/temporal';
import { MSN, vippsSalesUnit, type VippsRecord } from '../vipps/vipps-system';
import { makeDay, type Day, type DayOptions } from './day';

/** Vipps's test amounts: .51 declines, .52 never answers; a refund goes back only to its sale. */
const VIPPS_DAY: DayOptions = { declineAmount: '103.51', expire: true, unlinkedRefund: false };

/** The till of a Vipps sales unit in NOK: its only currency. */
class NokRegister extends Register {
  override start(body: Record<string, unknown>, headers: Record<string, string> = {}): Promise<string> {
    return super.start({ ...body, currencycode: 'NOK' }, headers);
  }
}

const run = randomUUID().slice(0, 8);
// A merchant of this run only: the reconciliation covers every payment of the merchant Temporal holds in the period.
const SHOP = { username: `rec-v-${run}`, password: 'vipps-password-0123456789', merchant: `rec-vipps-${run}` };

let system: System;
let temporal: { client: Client; close: () => Promise<void> };
let day: Day;
let period: { from: string; to: string };

async function sim(route: string, body: unknown = {}): Promise<void> {
  const res = await fetch(`${system.simUrl}${route}`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify(body) });
  if (!res.ok) throw new Error(`POST ${route} → ${res.status} ${await res.text()}`);
}

beforeAll(async () => {
  const from = new Date(Date.now() - 60_000).toISOString();
  const simPort = await freePort();
  const unit = vippsSalesUnit(simPort);
  system = await System.start({
    env: {
      SIM_PORT: String(simPort),
      ACQUIRER_URL: `http://127.0.0.1:${simPort}`,
      SPI_CREDENTIALS: JSON.stringify([SHOP]),
      MERCHANT_PAYMENT_METHODS: JSON.stringify({ [SHOP.merchant]: 'wallet' }),
      WALLET_PROVIDERS: JSON.stringify({ [SHOP.merchant]: unit }),
      RECONCILIATION_MERCHANTS: '',
      RECONCILIATION_SCHEDULE: 'off',
      ACK_TIMEOUT_MS: '2000',
      PAYMENT_EXPIRY_MS: '3000',
    },
  });
  temporal = await connectTemporal(system.temporalAddress, system.env.TEMPORAL_NAMESPACE ?? 'default');
  day = await makeDay(new NokRegister(system.apiUrl, SHOP), VIPPS_DAY);
  await eventually(
    () => temporal.client.workflow.count(`WorkflowType = 'paymentWorkflow' AND Merchant = '${SHOP.merchant}' AND (PaymentState IN ('inprogress', 'ready_to_complete') OR ReversalState = 'pending')`),
    (c) => c.count === 0,
    60_000,
    500,
  );
  // A capture behind the workflow's back: its cancel never took, and the reservation was captured.
  await sim(`/sim/vipps/inject/${day.cancelledReady}/keep-hold`);
  await sim(`/sim/vipps/payments/${day.cancelledReady}/capture`);
  // A reservation never cancelled: the register went silent, the cancel never took.
  await sim(`/sim/vipps/inject/${day.silentReady}/keep-hold`);
  // A refund paid twice: Vipps pays the linked refund out again under its key.
  await sim(`/sim/vipps/inject/${day.refundedSale}/refund-again`);
  // Money paid back from the merchant portal, under no payment of ours.
  await sim(`/sim/vipps/payments/${day.completed}/refund`, { value: 1000 });
  period = { from, to: new Date(Date.now() + 1000).toISOString() };
  await new Promise((r) => setTimeout(r, 1000));
}, 240_000);

afterAll(async () => {
  await temporal?.close();
  await system?.stop();
});

test('a Vipps MobilePay merchant’s day → each injected mismatch flagged on its payment, nothing else; sums equal the Vipps books', async () => {
  const result: ReconciliationResult = await temporal.client.workflow.execute('reconcileWorkflow', {
    workflowId: reconcileWorkflowId(SHOP.merchant, period),
    taskQueue: system.env.TEMPORAL_TASK_QUEUE as string,
    args: [{ merchant: SHOP.merchant, period }],
  });
  const portal = result.flags.filter((f) => f.kind === 'unknown-record');
  expect(result.flags.filter((f) => f.kind !== 'unknown-record').map((f) => `${f.paymentid} ${f.kind}`).sort()).toEqual(
    [`${day.cancelledReady} moved-on-cancelled`, `${day.silentReady} hold-open`, `${day.refundLinked} refund-beyond-sale`].sort(),
  );
  expect(portal).toHaveLength(1);
  expect(portal[0]?.evidence).toMatch(/^vipps-mobilepay record \S+ \(refund 1000 NOK, 0 captured, 1000 refunded, 0 held\) matches no payment$/);
  expect(result.coverage).toEqual([{ merchant: SHOP.merchant, provider: 'vipps-mobilepay', recordPages: 2, records: expect.any(Number), paymentPages: 1, payments: 10 }]);

  const res = await fetch(`${system.simUrl}/sim/vipps/payments?msn=${MSN}`);
  const books = ((await res.json()) as { payments: VippsRecord[] }).payments;
  const sum = (k: 'capturedAmount' | 'refundedAmount') => books.reduce((s, p) => s + p.aggregate[k].value, 0);
  const total = (k: 'capturedMinor' | 'refundedMinor' | 'reversedMinor' | 'netMinor') => result.money.reduce((s, m) => s + m[k], 0);
  expect({ captured: total('capturedMinor'), paidBack: total('refundedMinor') + total('reversedMinor') }).toEqual({ captured: sum('capturedAmount'), paidBack: sum('refundedAmount') });
  // 100 + 200 kept, less the refund's 30 twice and the portal's 10; 105 captured and reversed; the injected 102 capture.
  expect(total('netMinor')).toBe(10000 + 20000 - 3000 - 3000 - 1000 + 10200);
});
