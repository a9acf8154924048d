// Swish on Stripe for a wallet merchant: the register's QR is the Swish QR of a PaymentIntent
// confirmed at create; the customer pays on the page its data opens (a person, or the simulated
// customer), and the money moves then: there is no capture. So every way a paid sale is given
// back (a cancel at ready_to_complete, a silent register, a late cancel) is a Refund, and a
// refund crediting a Swish sale is a Refund of it. Webhooks move the payment on; the worker's
// own read every 5 s is the fallback. Each test checks the register's answers and what the
// simulated Stripe recorded.
import type { Payment } from '@payments/contract';
import { paymentRequest, type Register } from '../support/register';
import { type System, eventually, sleep } from '../support/system';
import {
  SWISH_ENDPOINT_SECRET,
  SWISH_KEY,
  answerSwishQr,
  putState,
  startSwishSystem,
  stripeLedger,
  stripeRequests,
  stripeWebhooks,
  swishCustomer,
  type StripeLedgerEntry,
  type StripeWebhookView,
} from './stripe-system';

jest.setTimeout(120_000);

/** The register's acknowledgement timer: a silent register's paid sale is refunded after it. */
const ACK_TIMEOUT_MS = 6_000;

let system: System;
let kiosk: Register;
let n = 0;
/** A register of its own for each payment. */
const posid = () => `SIE00001600001${String(++n).padStart(2, '0')}`;

beforeAll(async () => {
  // The simulated customer pays 1.5 s after the QR is shown: within the first fallback read.
  ({ system, kiosk } = await startSwishSystem({ env: { SIM_APPROVE_DELAY_MS: '1500', ACK_TIMEOUT_MS: String(ACK_TIMEOUT_MS) } }));
});
afterAll(() => system?.stop());
afterEach(async () => {
  await swishCustomer(system.simUrl, { mode: 'pays' });
  await webhooks({ delayMs: 0, drop: false, duplicate: false, reorder: false, endpoint: { url: `${system.apiUrl}/webhooks/stripe`, secret: SWISH_ENDPOINT_SECRET } });
  await sleep(1000); // events a test raised last land in it
});

const webhooks = (body: Record<string, unknown>) => stripeWebhooks(system.simUrl, body);
const webhookCounts = async () => ((await (await fetch(`${system.simUrl}/sim/stripe/webhooks`)).json()) as StripeWebhookView).counts;
const money = (id: string, done: (m: StripeLedgerEntry | undefined) => boolean) => eventually(() => stripeLedger(system.simUrl, id), done, 30_000);

/** The register's first answer that shows the QR. */
async function scanning(id: string): Promise<Payment> {
  const reply = await eventually(() => kiosk.get(id), (r) => r.status === 200 && r.body.paymentstate.qrcode !== null, 20_000);
  return reply.body;
}

/** A Swish sale to ready_to_complete: the QR shown, then paid (the money moved before any PUT). */
async function paidSale(amount: string): Promise<{ id: string; minor: number; ready: Payment }> {
  const id = await kiosk.start(paymentRequest(amount, { posid: posid() }));
  const shown = await scanning(id);
  expect(shown.paymentstate.state).toBe('inprogress');
  expect(shown.paymentstate.qrcode).toMatch(new RegExp(`^${system.simUrl}/swish/pi_`));
  expect(shown.paymentstate.message).toBe('Scan the QR code with the Swish app');
  const ready = await kiosk.until(id, ['ready_to_complete'], 30_000);
  expect(ready.paymentstate.qrcode).toBeNull();
  expect(ready.paymentstate.receiptrow).toMatch(/^Wallet payment ref [A-Z0-9]{10}$/);
  const minor = Math.round(Number(amount) * 100);
  expect(await stripeLedger(system.simUrl, id)).toMatchObject({ method: 'wallet', paymentMethod: 'swish', status: 'succeeded', capturedMinor: minor, reversedMinor: 0 });
  return { id, minor, ready };
}

/** PUT completed: completed at once, nothing more at Stripe (no capture for Swish). */
async function complete(id: string, minor: number): Promise<void> {
  expect((await putState(kiosk, id, 'completed')).body.paymentstate.state).toBe('completed');
  await sleep(500);
  const m = await stripeLedger(system.simUrl, id);
  expect(m).toMatchObject({ status: 'succeeded', capturedMinor: minor, reversedMinor: 0 });
  expect(m?.events.filter((e) => e.type === 'captured')).toHaveLength(1);
}

test('a Swish sale: the QR, paid, ready_to_complete, completed; at most 5 Stripe calls', async () => {
  const before = await stripeRequests(system.simUrl, SWISH_KEY);
  const { id, minor } = await paidSale('129.00');
  await complete(id, minor);
  await sleep(1000);
  const calls = (await stripeRequests(system.simUrl, SWISH_KEY)) - before;
  process.stdout.write(`Stripe calls for one Swish sale: ${calls}\n`);
  expect(calls).toBeGreaterThanOrEqual(2); // the create, and at least one read
  expect(calls).toBeLessThanOrEqual(5);
});

test('the QR shown: its data opens the pay page; a person pays there → ready_to_complete', async () => {
  await swishCustomer(system.simUrl, { mode: 'waits' });
  const id = await kiosk.start(paymentRequest('88.50', { posid: posid() }));
  const qr = (await scanning(id)).paymentstate.qrcode!;
  const page = await fetch(qr);
  expect(page.status).toBe(200);
  expect(await page.text()).toMatch(/88[.,]50 SEK[\s\S]*Pay/);
  await sleep(1000);
  expect((await kiosk.get(id)).body.paymentstate.state).toBe('inprogress'); // nobody paid yet
  expect(await answerSwishQr(qr, 'pay')).toBe(303);
  await kiosk.until(id, ['ready_to_complete'], 20_000);
  await complete(id, 8850);
  expect(await (await fetch(qr)).text()).toMatch(/Paid/);
});

test('PUT cancelled while the QR awaits the customer → cancelled, the intent canceled, nothing paid; the QR no longer pays', async () => {
  await swishCustomer(system.simUrl, { mode: 'waits' });
  const id = await kiosk.start(paymentRequest('45.00', { posid: posid() }));
  const qr = (await scanning(id)).paymentstate.qrcode!;
  expect((await putState(kiosk, id, 'cancelled')).body.paymentstate.state).toBe('cancelled');
  expect(await money(id, (m) => m?.status === 'canceled')).toMatchObject({ capturedMinor: 0, reversedMinor: 0 });
  await answerSwishQr(qr, 'pay');
  expect(await stripeLedger(system.simUrl, id)).toMatchObject({ status: 'canceled', capturedMinor: 0 });
  expect(await (await fetch(qr)).text()).toMatch(/Cancelled by the shop/);
});

test('PUT cancelled at ready_to_complete → cancelled, and the paid Swish money is refunded (a Refund, no void)', async () => {
  const { id, minor } = await paidSale('61.00');
  expect((await putState(kiosk, id, 'cancelled')).body.paymentstate.state).toBe('cancelled');
  const m = await money(id, (e) => e?.reversedMinor === minor);
  expect(m).toMatchObject({ status: 'succeeded', capturedMinor: minor, voidedMinor: 0, reversedMinor: minor });
  expect(m?.events.filter((e) => e.type === 'reversed')).toHaveLength(1);
});

test('a silent register at ready_to_complete → after the acknowledgement timer, cancelled and refunded', async () => {
  const { id, minor } = await paidSale('62.00');
  const cancelled = await kiosk.until(id, ['cancelled'], ACK_TIMEOUT_MS + 20_000);
  expect(cancelled.paymentstate.state).toBe('cancelled');
  expect(await money(id, (e) => e?.reversedMinor === minor)).toMatchObject({ capturedMinor: minor, reversedMinor: minor });
});

test('a late cancel after completed (within the window) → cancelled, refunded once', async () => {
  const { id, minor } = await paidSale('63.00');
  await complete(id, minor);
  expect((await putState(kiosk, id, 'cancelled')).body.paymentstate.state).toBe('cancelled');
  const m = await money(id, (e) => e?.reversedMinor === minor);
  expect(m?.events.filter((e) => e.type === 'reversed')).toHaveLength(1);
  expect((await putState(kiosk, id, 'cancelled')).status).toBe(200); // idempotent, nothing more
  await sleep(500);
  expect((await stripeLedger(system.simUrl, id))?.reversedMinor).toBe(minor);
});

test('a refund crediting a Swish sale → no QR, ready_to_complete, and at completed a Refund of that sale', async () => {
  const { id: sale, minor } = await paidSale('200.00');
  await complete(sale, minor);
  const refund = await kiosk.start(paymentRequest('-50.00', { posid: posid(), creditpaymentid: sale }));
  const ready = await kiosk.until(refund, ['ready_to_complete', 'cancelled'], 30_000);
  expect(ready.paymentstate).toMatchObject({ state: 'ready_to_complete', qrcode: null });
  expect(ready.paymentstate.receiptrow).toMatch(/^Wallet refund ref /);
  expect(await stripeLedger(system.simUrl, refund)).toBeUndefined(); // nothing paid out before the register completes
  expect((await putState(kiosk, refund, 'completed')).body.paymentstate.state).toBe('completed');
  expect(await money(refund, (m) => m?.refundedMinor === 5000)).toMatchObject({ kind: 'refund', method: 'wallet', originalReference: sale });
  expect(await stripeLedger(system.simUrl, sale)).toMatchObject({ capturedMinor: minor, reversedMinor: 0 });
});

test('the customer declines in Swish → cancelled with the reason; nothing paid', async () => {
  await swishCustomer(system.simUrl, { mode: 'waits' });
  const id = await kiosk.start(paymentRequest('47.00', { posid: posid() }));
  const qr = (await scanning(id)).paymentstate.qrcode!;
  expect(await answerSwishQr(qr, 'decline')).toBe(303);
  const ended = await kiosk.until(id, ['cancelled'], 20_000);
  expect(ended.paymentstate.message).toMatch(/declined the payment in Swish/);
  expect(await stripeLedger(system.simUrl, id)).toMatchObject({ status: 'requires_payment_method', capturedMinor: 0 });
});

describe('webhooks that disappoint: the sale ends the same', () => {
  test('delivered 3 s late', async () => {
    await webhooks({ delayMs: 3000 });
    const { id, minor } = await paidSale('71.00');
    await complete(id, minor);
  });

  test('each delivered twice', async () => {
    await webhooks({ duplicate: true });
    const before = await webhookCounts();
    const { id, minor } = await paidSale('72.00');
    await complete(id, minor);
    await eventually(webhookCounts, (c) => c.delivered - before.delivered >= 2 * (c.raised - before.raised) - 1, 10_000);
  });

  test('out of order (succeeded before requires_action)', async () => {
    await webhooks({ reorder: true, reorderWindowMs: 2500 });
    const { id, minor } = await paidSale('73.00');
    await complete(id, minor);
  });

  test('never delivered: the fallback read finishes it', async () => {
    await webhooks({ drop: true });
    const before = await webhookCounts();
    const { id, minor } = await paidSale('74.00');
    await complete(id, minor);
    const after = await webhookCounts();
    expect(after.delivered).toBe(before.delivered);
    expect(after.dropped - before.dropped).toBeGreaterThanOrEqual(2);
  });

  test('signed with a wrong secret: refused 400, the fallback read finishes it', async () => {
    await webhooks({ endpoint: { url: `${system.apiUrl}/webhooks/stripe`, secret: 'whsec_not_the_kiosk_secret' } });
    const before = await webhookCounts();
    const { id, minor } = await paidSale('75.00');
    await complete(id, minor);
    const after = await webhookCounts();
    expect(after.delivered).toBe(before.delivered);
    expect(after.failed).toBeGreaterThan(before.failed);
    // A forged "succeeded" for a payment still awaiting its QR: refused, and the payment waits on.
    await swishCustomer(system.simUrl, { mode: 'waits' });
    const waiting = await kiosk.start(paymentRequest('76.00', { posid: posid() }));
    await scanning(waiting);
    const body = JSON.stringify({ id: 'evt_forged', object: 'event', type: 'payment_intent.succeeded', data: { object: { id: 'pi_x', metadata: { paymentid: waiting, merchant: 'kiosk' } } } });
    const forged = await fetch(`${system.apiUrl}/webhooks/stripe`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', 'stripe-signature': `t=${Math.floor(Date.now() / 1000)},v1=${'0'.repeat(64)}` },
      body,
    });
    expect(forged.status).toBe(400);
    expect(await forged.json()).toMatchObject({ error_code: 'bad-request' });
    await sleep(500);
    expect((await kiosk.get(waiting)).body.paymentstate.state).toBe('inprogress');
    expect((await putState(kiosk, waiting, 'cancelled')).body.paymentstate.state).toBe('cancelled');
    expect(await money(waiting, (m) => m?.status === 'canceled')).toMatchObject({ capturedMinor: 0 });
  });
});
