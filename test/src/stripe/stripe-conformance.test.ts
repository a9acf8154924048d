// The register's flows with a Stripe Terminal merchant, through the real processes: the
// worker's official Stripe SDK against the simulator's Stripe-wire API. Each asserts the
// ledger: nothing is captured before PUT completed, nothing is left authorized after a cancel.
// Every flow runs twice: with the worker polling Stripe every 500 ms, and as production runs it,
// with Stripe's signed webhooks driving the payment and reads only once a minute.
import { paymentRequest, type Register } from '../support/register';
import { type System, eventually } from '../support/system';
import { nextPosid, presentCard, putState, READERS, startStripeSystem, STRIPE_KEY, stripeLedger, stripeWebhooks } from './stripe-system';

jest.setTimeout(120_000);

const ENDPOINT_SECRET = 'whsec_e2e_conformance_0123456789';

/** How the worker learns of Stripe's changes: its own reads, or the webhooks with a read a minute at most. */
const MODES = [
  { mode: 'polling every 500 ms', webhooks: false },
  { mode: 'webhooks on, polling off', webhooks: true },
] as const;

describe.each(MODES)('$mode', ({ webhooks }) => {
  let system: System;
  let shop: Register;
  let demo: Register;

  beforeAll(async () => {
    // Short ACK and expiry timers, so the silent register and the card never presented end within the test.
    const env: Record<string, string> = { ACK_TIMEOUT_MS: '8000', PAYMENT_EXPIRY_MS: '10000' };
    if (webhooks) {
      // pollEveryMs at its maximum: within a test's flow, only the webhooks move a payment on.
      env.CARD_PROVIDERS = JSON.stringify({ shop: { provider: 'stripe', secretKey: STRIPE_KEY, readers: READERS, webhooks: true, pollEveryMs: 60_000 } });
      env.STRIPE_WEBHOOK_SECRETS = JSON.stringify({ shop: ENDPOINT_SECRET });
    }
    ({ system, shop, demo } = await startStripeSystem({ env }));
    if (webhooks) await stripeWebhooks(system.simUrl, { endpoint: { url: `${system.apiUrl}/webhooks/stripe`, secret: ENDPOINT_SECRET } });
  });
  afterAll(() => system?.stop());

  /** A Stripe sale on a register of its own, taken to ready_to_complete by the simulated customer. */
  async function readySale(amount: string): Promise<string> {
    const id = await shop.start(paymentRequest(amount, { posid: nextPosid() }));
    await shop.until(id, ['ready_to_complete']);
    return id;
  }

  test('a sale: Present card on the register, authorized (held, not captured) at ready_to_complete, captured at PUT completed', async () => {
    // .52: the reader waits for a card until the customer taps one (Stripe's test helper, below).
    const posid = nextPosid();
    const id = await shop.start(paymentRequest('398.52', { posid }));
    const prompting = await eventually(() => shop.get(id), (r) => r.body.paymentstate.message === 'Present card');
    expect(prompting.body.paymentstate).toMatchObject({ state: 'inprogress', message: 'Present card', qrcode: null });
    expect(await presentCard(system.simUrl, posid)).toBe(200);

    const ready = await shop.until(id, ['ready_to_complete']);
    expect(ready.paymentstate.receiptrow).toBe('Card •••• 4242');
    expect(ready.paymentstate.receiptsection.join('\n')).toMatch(/Visa •••• 4242/);
    expect(await stripeLedger(system.simUrl, id)).toMatchObject({ provider: 'stripe', status: 'requires_capture', authorizedMinor: 39852, capturedMinor: 0 });

    expect((await putState(shop, id, 'completed')).body.paymentstate.state).toBe('completed');
    const money = await eventually(() => stripeLedger(system.simUrl, id), (m) => m?.status === 'succeeded');
    expect(money).toMatchObject({ authorizedMinor: 39852, capturedMinor: 39852, voidedMinor: 0, reversedMinor: 0 });
    expect(money!.events.filter((e) => e.type === 'captured')).toHaveLength(1);
  });

  test('a decline (Stripe test amount .05) → cancelled with the issuer’s reason; nothing authorized', async () => {
    const id = await shop.start(paymentRequest('100.05', { posid: nextPosid() }));
    const cancelled = await shop.until(id, ['cancelled']);
    expect(cancelled.paymentstate.message).toBe('Your card was declined.');
    expect(await stripeLedger(system.simUrl, id)).toMatchObject({ authorizedMinor: 0, capturedMinor: 0 });
  });

  test('PUT cancelled while the reader waits for a card → cancelled; the reader action and the intent are cancelled, nothing authorized', async () => {
    const id = await shop.start(paymentRequest('10.52', { posid: nextPosid() })); // .52: no card is ever presented
    await eventually(() => shop.get(id), (r) => r.body.paymentstate.message === 'Present card');
    expect((await putState(shop, id, 'cancelled')).body.paymentstate.state).toBe('cancelled');
    const money = await eventually(() => stripeLedger(system.simUrl, id), (m) => m?.status === 'canceled');
    expect(money).toMatchObject({ authorizedMinor: 0, capturedMinor: 0 });
  });

  test('no card presented within PAYMENT_EXPIRY_MS → cancelled as expired; the reader stopped and the intent cancelled, nothing authorized', async () => {
    const id = await shop.start(paymentRequest('11.52', { posid: nextPosid() }));
    const cancelled = await shop.until(id, ['cancelled', 'ready_to_complete'], 60_000);
    expect(cancelled.paymentstate.state).toBe('cancelled');
    expect(cancelled.paymentstate.message).toMatch(/timed out/i);
    const money = await eventually(() => stripeLedger(system.simUrl, id), (m) => m?.status === 'canceled');
    expect(money).toMatchObject({ authorizedMinor: 0, capturedMinor: 0 });
  });

  test('PUT cancelled at ready_to_complete → cancelled; the authorization is voided, nothing captured', async () => {
    const id = await readySale('200.00');
    expect((await putState(shop, id, 'cancelled')).body.paymentstate.state).toBe('cancelled');
    const money = await eventually(() => stripeLedger(system.simUrl, id), (m) => m?.status === 'canceled');
    expect(money).toMatchObject({ authorizedMinor: 20000, capturedMinor: 0, voidedMinor: 20000, reversedMinor: 0 });
  });

  test('PUT cancelled after completed, inside the late-cancel window → cancelled; the captured money refunded once', async () => {
    const id = await readySale('50.00');
    await putState(shop, id, 'completed');
    await eventually(() => stripeLedger(system.simUrl, id), (m) => m?.status === 'succeeded');
    expect((await putState(shop, id, 'cancelled')).body.paymentstate.state).toBe('cancelled');
    const money = await eventually(() => stripeLedger(system.simUrl, id), (m) => (m?.reversedMinor ?? 0) > 0);
    expect(money).toMatchObject({ capturedMinor: 5000, reversedMinor: 5000, voidedMinor: 0 });
    expect(money!.events.filter((e) => e.type === 'reversed')).toHaveLength(1);
  });

  test('the register goes silent at ready_to_complete → cancelled after ACK_TIMEOUT_MS; the authorization voided, never captured', async () => {
    const id = await readySale('77.00');
    const cancelled = await shop.until(id, ['cancelled'], 60_000);
    expect(cancelled.paymentstate.state).toBe('cancelled');
    const money = await eventually(() => stripeLedger(system.simUrl, id), (m) => m?.status === 'canceled', 30_000);
    expect(money).toMatchObject({ authorizedMinor: 7700, capturedMinor: 0, voidedMinor: 7700 });
  });

  test('a refund that credits a Stripe sale: nothing paid back before PUT completed, then one Refund to the card', async () => {
    const sale = await readySale('300.00');
    await putState(shop, sale, 'completed');
    await eventually(() => stripeLedger(system.simUrl, sale), (m) => m?.status === 'succeeded');

    const refund = await shop.start(paymentRequest('-100.00', { posid: nextPosid(), creditpaymentid: sale }));
    const ready = await shop.until(refund, ['ready_to_complete']);
    expect(ready.paymentstate.receiptrow).toBe('Card refund •••• 4242');
    expect(await stripeLedger(system.simUrl, refund)).toBeUndefined();

    await putState(shop, refund, 'completed');
    const paid = await eventually(() => stripeLedger(system.simUrl, refund), (m) => m !== undefined);
    expect(paid).toMatchObject({ kind: 'refund', refundedMinor: 10000 });
    expect(await stripeLedger(system.simUrl, sale)).toMatchObject({ capturedMinor: 30000, reversedMinor: 0 });
  });

  test('a refund the register cancels at ready_to_complete pays nothing back', async () => {
    const sale = await readySale('120.00');
    await putState(shop, sale, 'completed');
    await eventually(() => stripeLedger(system.simUrl, sale), (m) => m?.status === 'succeeded');
    const refund = await shop.start(paymentRequest('-20.00', { posid: nextPosid(), creditpaymentid: sale }));
    await shop.until(refund, ['ready_to_complete']);
    expect((await putState(shop, refund, 'cancelled')).body.paymentstate.state).toBe('cancelled');
    expect(await stripeLedger(system.simUrl, refund)).toBeUndefined();
  });

  test('the adapter is chosen per merchant: the demo merchant in the same service still pays by wallet at the simulated acquirer', async () => {
    const id = await demo.start(paymentRequest('15.00'));
    const ready = await demo.until(id, ['ready_to_complete']);
    expect(ready.paymentstate.receiptrow).toMatch(/^Wallet payment/);
    const money = await stripeLedger(system.simUrl, id);
    expect(money?.provider).toBeUndefined();
    await putState(demo, id, 'completed');
  });
});
