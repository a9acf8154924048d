// Vipps MobilePay's webhooks driving a sale: the simulated Vipps signs each ePayment event
// (HMAC-SHA256 over the date, the host, the path and the body's hash) to the API's
// POST /webhooks/vipps-mobilepay, which nudges the payment's workflow; the worker reads Vipps
// only every 5 s otherwise (the fallback for a late webhook). Delivered late, twice, out of
// order, never, or signed with a wrong secret: the sale ends the same, captured once.
import type { Register } from '../support/register';
import { type System, eventually, sleep } from '../support/system';
import {
  countEvents,
  customer,
  moneyOf,
  nokRequest,
  putState,
  startVippsSystem,
  untilRecord,
  vippsCalls,
  vippsFaults,
  vippsRecord,
  vippsWebhooks,
  WEBHOOK_SECRET,
  type VippsWebhookView,
} from './vipps-system';

jest.setTimeout(180_000);

let system: System;
let oslo: Register;

beforeAll(async () => {
  ({ system, oslo } = await startVippsSystem({ webhooks: true, env: { ACK_TIMEOUT_MS: '60000' } }));
});
afterAll(() => system?.stop());
afterEach(async () => {
  await vippsWebhooks(system.simUrl, { delayMs: 0, drop: false, duplicate: false, reorder: false, endpoint: { url: `${system.apiUrl}/webhooks/vipps-mobilepay`, secret: WEBHOOK_SECRET } });
  await vippsFaults(system.simUrl, { customer: 'auto' });
  // Events a test raised last (its capture's) may still be on their way: let them land in it.
  await sleep(1500);
});

const counts = async () => ((await (await fetch(`${system.simUrl}/sim/vipps/webhooks`)).json()) as VippsWebhookView).counts;
const reads = () => vippsCalls(system.simUrl, 'GET /epayment/v1/payments/:reference');

/** A sale from POST to PUT completed: nothing captured before the PUT, captured once after. Answers its id. */
async function sale(amount: string): Promise<string> {
  const id = await oslo.start(nokRequest(amount));
  await oslo.until(id, ['ready_to_complete'], 60_000);
  const minor = Math.round(Number(amount) * 100);
  expect(moneyOf(await vippsRecord(system.simUrl, id))).toEqual({ authorized: minor, captured: 0, cancelled: 0, refunded: 0 });
  expect((await putState(oslo, id, 'completed')).body.paymentstate.state).toBe('completed');
  const rec = await untilRecord(system.simUrl, id, (r) => r.aggregate.capturedAmount.value > 0);
  expect(moneyOf(rec)).toEqual({ authorized: minor, captured: minor, cancelled: 0, refunded: 0 });
  expect(countEvents(rec, 'CAPTURED')).toBe(1);
  return id;
}

test('the customer approves after 4 s: the webhook’s nudge reads at once, far fewer reads than polling every 2 s would cost', async () => {
  await vippsFaults(system.simUrl, { customer: 'manual' });
  const before = await counts();
  const readsBefore = await reads();
  const id = await oslo.start(nokRequest('81.00'));
  await untilRecord(system.simUrl, id, (r) => r.state === 'CREATED', 30_000);
  await sleep(4000);
  const approvedAt = Date.now();
  await customer(system.simUrl, id, 'approve');
  await oslo.until(id, ['ready_to_complete'], 30_000);
  const tookMs = Date.now() - approvedAt;
  const spent = (await reads()) - readsBefore;
  process.stdout.write(`Vipps reads to ready_to_complete with webhooks: ${spent}, ready ${tookMs} ms after the approval\n`);
  expect(spent).toBeLessThanOrEqual(3);
  expect((await counts()).delivered - before.delivered).toBeGreaterThanOrEqual(1);
  await putState(oslo, id, 'completed');
  expect(moneyOf(await untilRecord(system.simUrl, id, (r) => r.aggregate.capturedAmount.value > 0))).toMatchObject({ captured: 8100 });
});

test('the webhooks delivered 3 s late: the sale ends the same (the fallback read or the late nudge), nothing twice', async () => {
  await vippsWebhooks(system.simUrl, { delayMs: 3000 });
  await sale('82.00');
});

test('every webhook delivered twice: the duplicates change nothing', async () => {
  await vippsWebhooks(system.simUrl, { duplicate: true });
  const before = await counts();
  await sale('83.00');
  await eventually(counts, (c) => c.delivered - before.delivered >= 2 * (c.raised - before.raised) - 1, 10_000);
});

test('webhooks out of order: the sale ends the same', async () => {
  await vippsWebhooks(system.simUrl, { reorder: true, reorderWindowMs: 500 });
  await sale('84.00');
});

test('webhooks never delivered: the slow fallback read finishes the sale', async () => {
  await vippsWebhooks(system.simUrl, { drop: true });
  const before = await counts();
  await sale('85.00');
  const after = await counts();
  expect(after.delivered).toBe(before.delivered);
  expect(after.dropped - before.dropped).toBeGreaterThanOrEqual(2);
});

test('webhooks signed with a wrong secret: refused 401 (Vipps retries them), the fallback read finishes the sale; a forged one → 401, never a 5xx', async () => {
  await vippsWebhooks(system.simUrl, { endpoint: { url: `${system.apiUrl}/webhooks/vipps-mobilepay`, secret: 'not-the-webhook-secret-0123' } });
  const before = await counts();
  await sale('86.00');
  const after = await counts();
  expect(after.delivered).toBe(before.delivered);
  expect(after.failed).toBeGreaterThan(before.failed);
  const body = JSON.stringify({ msn: '123456', reference: 'forged-reference-0001', pspReference: 'x', name: 'AUTHORIZED', amount: { currency: 'NOK', value: 1 }, timestamp: new Date().toISOString(), success: true });
  const res = await fetch(`${system.apiUrl}/webhooks/vipps-mobilepay`, {
    method: 'POST',
    headers: { 'content-type': 'application/json', 'x-ms-date': new Date().toUTCString(), 'x-ms-content-sha256': 'AAAA', authorization: 'HMAC-SHA256 SignedHeaders=x-ms-date;host;x-ms-content-sha256&Signature=AAAA' },
    body,
  });
  expect(res.status).toBe(401);
  expect(await res.json()).toMatchObject({ error_code: 'unauthorized' });
});
