// Stripe's webhooks driving a card sale: the simulated Stripe signs and sends each change to the
// API's POST /webhooks/stripe, which nudges the payment's waiting read; the worker reads Stripe
// only every 5 s otherwise (the fallback for a late webhook). Delivered late, twice, out of order
// or never, and signed with a wrong secret, the sale ends the same: the register's answers and
// the ledger say so. The Stripe reads per payment are counted at the simulator, per account key,
// against a merchant on the same simulator that polls every 500 ms without webhooks.
import { paymentRequest, Register } from '../support/register';
import { type System, eventually, sleep } from '../support/system';
import { READERS, STRIPE_KEY, nextPosid, putState, startStripeSystem, stripeLedger, stripeWebhooks, type StripeWebhookView } from './stripe-system';

jest.setTimeout(180_000);

const ENDPOINT_SECRET = 'whsec_e2e_shop_0123456789';
const POLLER = { username: 'poller', password: 'poller-password' };
const POLLER_KEY = 'sk_test_e2epoller';
/** The poller's registers and readers: its own, so its reads are counted under its key only. */
const POLLER_READERS = { SIE0000160000091: 'tmr_poll1', SIE0000160000092: 'tmr_poll2', SIE0000160000093: 'tmr_poll3' };

let system: System;
let shop: Register;
let poller: Register;

beforeAll(async () => {
  ({ system, shop } = await startStripeSystem({
    env: {
      // The simulated customer presents a card after 2 s and is authorized after 4 s: long enough for polling to cost reads.
      SIM_APPROVE_DELAY_MS: '4000',
      ACK_TIMEOUT_MS: '60000',
      SPI_CREDENTIALS: JSON.stringify([
        { username: 'demo', password: 'demo', merchant: 'demo' },
        { username: 'shop', password: 'shop-password', merchant: 'shop' },
        { ...POLLER, merchant: 'poller' },
      ]),
      MERCHANT_PAYMENT_METHODS: JSON.stringify({ shop: 'card', poller: 'card' }),
      CARD_PROVIDERS: JSON.stringify({
        shop: { provider: 'stripe', secretKey: STRIPE_KEY, readers: READERS, webhooks: true },
        poller: { provider: 'stripe', secretKey: POLLER_KEY, readers: POLLER_READERS },
      }),
      STRIPE_WEBHOOK_SECRETS: JSON.stringify({ shop: ENDPOINT_SECRET }),
    },
  }));
  poller = new Register(system.apiUrl, POLLER);
  await webhooks({ endpoint: { url: `${system.apiUrl}/webhooks/stripe`, secret: ENDPOINT_SECRET } });
});
afterAll(() => system?.stop());
afterEach(async () => {
  await webhooks({ delayMs: 0, drop: false, duplicate: false, reorder: false, endpoint: { url: `${system.apiUrl}/webhooks/stripe`, secret: ENDPOINT_SECRET } });
  // Events a test raised last (its capture's) are still held or on their way: let them land in it.
  await sleep(1500);
});

/** The simulated Stripe's webhook endpoint and delivery faults. */
const webhooks = (body: Record<string, unknown>) => stripeWebhooks(system.simUrl, body);
const webhookCounts = async () => ((await (await fetch(`${system.simUrl}/sim/stripe/webhooks`)).json()) as StripeWebhookView).counts;

/** The reads an account key has made at the simulated Stripe so far (GET /sim/stripe/usage, keys masked as the Dashboard shows them). */
async function reads(key: string): Promise<number> {
  const masked = key.length <= 12 ? key : `${key.slice(0, 8)}…${key.slice(-4)}`;
  const usage = (await (await fetch(`${system.simUrl}/sim/stripe/usage`)).json()) as { accounts: Record<string, { read: number }> };
  return usage.accounts[masked]?.read ?? 0;
}

/**
 * A sale from POST to PUT completed: ready_to_complete with the card's receipt, captured only
 * after the PUT, authorized once. Answers the Stripe reads it cost its merchant's account.
 */
async function sale(register: Register, key: string, amount: string, posid: string): Promise<{ id: string; reads: number }> {
  const before = await reads(key);
  const id = await register.start(paymentRequest(amount, { posid }));
  const ready = await register.until(id, ['ready_to_complete'], 60_000);
  expect(ready.paymentstate.receiptrow).toBe('Card •••• 4242');
  const minor = Math.round(Number(amount) * 100);
  expect(await stripeLedger(system.simUrl, id)).toMatchObject({ status: 'requires_capture', authorizedMinor: minor, capturedMinor: 0 });
  const spent = (await reads(key)) - before;
  expect((await putState(register, id, 'completed')).body.paymentstate.state).toBe('completed');
  const money = await eventually(() => stripeLedger(system.simUrl, id), (m) => m?.status === 'succeeded', 60_000);
  expect(money).toMatchObject({ authorizedMinor: minor, capturedMinor: minor, voidedMinor: 0, reversedMinor: 0 });
  expect(money?.events.filter((e) => e.type === 'authorized')).toHaveLength(1);
  expect(money?.events.filter((e) => e.type === 'captured')).toHaveLength(1);
  return { id, reads: spent };
}

test('a sale with webhooks on: ready_to_complete, captured at PUT completed, with fewer Stripe reads than a merchant that polls', async () => {
  const polled = await sale(poller, POLLER_KEY, '71.00', 'SIE0000160000091');
  const before = await webhookCounts();
  const pushed = await sale(shop, STRIPE_KEY, '71.00', nextPosid());
  const after = await webhookCounts();
  expect(after.delivered - before.delivered).toBeGreaterThanOrEqual(3); // created, amount_capturable_updated, action_succeeded (and succeeded)
  expect(after.failed).toBe(before.failed);
  // Waiting 4 s for the customer: polling every 500 ms reads about twice a second; with webhooks
  // the wait costs a read at its start, one per nudge and at most one fallback read.
  process.stdout.write(`Stripe reads to ready_to_complete: polling ${polled.reads}, webhooks ${pushed.reads}\n`);
  expect(pushed.reads).toBeLessThan(polled.reads);
});

test('the webhooks delivered 3 s late: the sale ends the same (the fallback read or the late nudge), nothing twice', async () => {
  await webhooks({ delayMs: 3000 });
  await sale(shop, STRIPE_KEY, '72.00', nextPosid());
});

test('every webhook delivered twice: the duplicates change nothing', async () => {
  await webhooks({ duplicate: true });
  const before = await webhookCounts();
  await sale(shop, STRIPE_KEY, '73.00', nextPosid());
  await eventually(webhookCounts, (c) => c.delivered - before.delivered >= 2 * (c.raised - before.raised) - 1, 10_000);
});

test('webhooks out of order (the reader’s news before the intent’s): the sale ends the same', async () => {
  await webhooks({ reorder: true, reorderWindowMs: 500 });
  await sale(shop, STRIPE_KEY, '74.00', nextPosid());
});

test('webhooks never delivered: the slow fallback read finishes the sale', async () => {
  await webhooks({ drop: true });
  const before = await webhookCounts();
  await sale(shop, STRIPE_KEY, '75.00', nextPosid());
  const after = await webhookCounts();
  expect(after.delivered).toBe(before.delivered);
  expect(after.dropped - before.dropped).toBeGreaterThanOrEqual(3);
});

test('webhooks signed with a wrong secret: refused 400 (Stripe retries them), the fallback read finishes the sale', async () => {
  await webhooks({ endpoint: { url: `${system.apiUrl}/webhooks/stripe`, secret: 'whsec_not_the_endpoint_secret' } });
  const before = await webhookCounts();
  await sale(shop, STRIPE_KEY, '76.00', nextPosid());
  const after = await webhookCounts();
  expect(after.delivered).toBe(before.delivered);
  expect(after.failed).toBeGreaterThan(before.failed);
  // As the API answers it: the contract's error body, never a 5xx.
  const body = JSON.stringify({ id: 'evt_forged', object: 'event', type: 'payment_intent.succeeded', data: { object: { id: 'pi_x', metadata: { paymentid: 'x' } } } });
  const res = await fetch(`${system.apiUrl}/webhooks/stripe`, { method: 'POST', headers: { 'content-type': 'application/json', 'stripe-signature': `t=${Math.floor(Date.now() / 1000)},v1=${'0'.repeat(64)}` }, body });
  expect(res.status).toBe(400);
  expect(await res.json()).toMatchObject({ error_code: 'bad-request' });
});
