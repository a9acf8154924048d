import { startSimulator, sleep } from '../__fixtures__/start';

jest.setTimeout(20_000);

type Started = Awaited<ReturnType<typeof startSimulator>>;
let s: Started;
beforeAll(async () => {
  s = await startSimulator({ approveDelayMs: 400 });
});
afterAll(() => s.close());
afterEach(() => swishControls({ mode: 'pays', expiryMs: 180_000 }));

const KEY = 'sk_test_swish';
async function stripe(method: 'GET' | 'POST', route: string, form: Record<string, string> = {}, headers: Record<string, string> = {}) {
  const body = new URLSearchParams(form).toString();
  const res = await fetch(`${s.url}/v1${route}${method === 'GET' && body ? `?${body}` : ''}`, {
    method,
    headers: { authorization: `Bearer ${KEY}`, 'content-type': 'application/x-www-form-urlencoded', ...headers },
    body: method === 'POST' ? body : undefined,
  });
  return { status: res.status, body: (await res.json()) as Record<string, any> }; // eslint-disable-line @typescript-eslint/no-explicit-any
}
async function swishControls(body: Record<string, unknown>) {
  const res = await fetch(`${s.url}/sim/stripe/swish`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify(body) });
  expect(res.status).toBe(200);
}

let n = 0;
const swishForm = (amount = '12900', over: Record<string, string> = {}) => ({
  amount,
  currency: 'sek',
  confirm: 'true',
  'allowed_payment_method_types[0]': 'swish',
  'payment_method_data[type]': 'swish',
  'payment_method_options[swish][reference]': `ref${++n}`,
  'metadata[paymentid]': `swish-${process.pid}-${n}`,
  'metadata[merchant]': 'kiosk',
  ...over,
});
const read = async (id: string) => (await stripe('GET', `/payment_intents/${id}`, { 'expand[0]': 'latest_charge' })).body;
const until = async (id: string, status: string) => {
  for (let i = 0; i < 100; i++) {
    const intent = await read(id);
    if (intent.status === status) return intent;
    await sleep(100);
  }
  throw new Error(`${id} never reached ${status}`);
};

describe('Swish on the Stripe-wire simulator', () => {
  test('create with confirm → requires_action with the QR (data opens the pay page); the simulated customer pays: succeeded, no capture', async () => {
    const created = await stripe('POST', '/payment_intents', swishForm());
    expect(created.status).toBe(200);
    const action = created.body.next_action;
    expect(created.body.status).toBe('requires_action');
    expect(action.type).toBe('swish_handle_redirect_or_display_qr_code');
    const qr = action.swish_handle_redirect_or_display_qr_code.qr_code;
    expect(qr.data).toBe(`${s.url}/swish/${created.body.id}`);
    expect(qr.expires_at).toBeGreaterThan(Date.now() / 1000 + 170);
    const page = await fetch(qr.data);
    expect(page.status).toBe(200);
    expect(await page.text()).toMatch(/129[.,]00 SEK[\s\S]*Pay/);
    const paid = await until(created.body.id, 'succeeded');
    expect(paid).toMatchObject({ amount_received: 12900, next_action: null, latest_charge: { payment_method_details: { type: 'swish' }, captured: true } });
    const ledger = (await (await fetch(`${s.url}/sim/ledger/${paid.metadata.paymentid}`)).json()) as Record<string, unknown>;
    expect(ledger).toMatchObject({ provider: 'stripe', method: 'wallet', paymentMethod: 'swish', capturedMinor: 12900, status: 'succeeded' });
  });

  test('Swish’s rules: SEK only, at least kr 3.00, no manual capture', async () => {
    expect((await stripe('POST', '/payment_intents', swishForm('12900', { currency: 'eur' }))).body.error).toMatchObject({ code: 'payment_intent_invalid_parameter', param: 'currency' });
    expect((await stripe('POST', '/payment_intents', swishForm('299'))).body.error).toMatchObject({ code: 'amount_too_small' });
    expect((await stripe('POST', '/payment_intents', swishForm('12900', { capture_method: 'manual' }))).body.error).toMatchObject({ param: 'capture_method' });
  });

  test('a person declines on the pay page → requires_payment_method with the decline; the page says so; a late Pay changes nothing', async () => {
    await swishControls({ mode: 'waits' });
    const created = await stripe('POST', '/payment_intents', swishForm());
    const qr = created.body.next_action.swish_handle_redirect_or_display_qr_code.qr_code.data as string;
    const declined = await fetch(`${qr}/decline`, { method: 'POST', redirect: 'manual' });
    expect(declined.status).toBe(303);
    const intent = await read(created.body.id);
    expect(intent).toMatchObject({ status: 'requires_payment_method', last_payment_error: { code: 'payment_method_customer_decline' }, next_action: null });
    await fetch(`${qr}/pay`, { method: 'POST', redirect: 'manual' });
    expect((await read(created.body.id)).status).toBe('requires_payment_method');
    expect(await (await fetch(qr)).text()).toMatch(/Declined/);
  });

  test('nobody answers: the QR expires → requires_payment_method, payment_intent_payment_attempt_expired', async () => {
    await swishControls({ mode: 'waits', expiryMs: 300 });
    const created = await stripe('POST', '/payment_intents', swishForm());
    const intent = await until(created.body.id, 'requires_payment_method');
    expect(intent.last_payment_error).toMatchObject({ code: 'payment_intent_payment_attempt_expired' });
  });

  test('a QR nobody answers expires even when the timer fires before the clock shows its time: never taken as paid', async () => {
    // A clock running at half speed: when the expiry timer fires, the clock still reads before
    // the QR's expiry, as a wall clock may by a millisecond. Which event was due decides.
    const start = Date.now();
    const slow = await startSimulator({ approveDelayMs: 400, clock: () => start + (Date.now() - start) / 2 });
    try {
      const controls = await fetch(`${slow.url}/sim/stripe/swish`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ mode: 'waits', expiryMs: 300 }) });
      expect(controls.status).toBe(200);
      const form = new URLSearchParams(swishForm()).toString();
      const headers = { authorization: `Bearer ${KEY}`, 'content-type': 'application/x-www-form-urlencoded' };
      const created = (await (await fetch(`${slow.url}/v1/payment_intents`, { method: 'POST', headers, body: form })).json()) as { id: string };
      await sleep(800);
      const intent = (await (await fetch(`${slow.url}/v1/payment_intents/${created.id}`, { headers })).json()) as Record<string, unknown>;
      expect(intent).toMatchObject({ status: 'requires_payment_method', amount_received: 0, last_payment_error: { code: 'payment_intent_payment_attempt_expired' } });
    } finally {
      await slow.close();
    }
  });

  test('cancel while the QR awaits the customer → canceled, and the customer can no longer pay', async () => {
    await swishControls({ mode: 'waits' });
    const created = await stripe('POST', '/payment_intents', swishForm());
    const cancelled = await stripe('POST', `/payment_intents/${created.body.id}/cancel`, { cancellation_reason: 'abandoned' });
    expect(cancelled.body.status).toBe('canceled');
    await fetch(`${created.body.next_action.swish_handle_redirect_or_display_qr_code.qr_code.data}/pay`, { method: 'POST', redirect: 'manual' });
    expect((await read(created.body.id)).status).toBe('canceled');
  });

  test('a paid Swish intent cannot be cancelled; a Refund gives the money back (reversedMinor)', async () => {
    const created = await stripe('POST', '/payment_intents', swishForm('5000'));
    await until(created.body.id, 'succeeded');
    expect((await stripe('POST', `/payment_intents/${created.body.id}/cancel`)).body.error).toMatchObject({ code: 'payment_intent_unexpected_state' });
    const refund = await stripe('POST', '/refunds', { payment_intent: created.body.id, 'metadata[paymentid]': created.body.metadata.paymentid });
    expect(refund.body).toMatchObject({ object: 'refund', amount: 5000, status: 'succeeded' });
    const ledger = (await (await fetch(`${s.url}/sim/ledger/${created.body.metadata.paymentid}`)).json()) as Record<string, unknown>;
    expect(ledger).toMatchObject({ capturedMinor: 5000, reversedMinor: 5000, reversal: 'done' });
  });

  test('amounts Stripe’s test amounts decline are declined by the simulated customer', async () => {
    const created = await stripe('POST', '/payment_intents', swishForm('1005'));
    const intent = await until(created.body.id, 'requires_payment_method');
    expect(intent.last_payment_error).toMatchObject({ code: 'payment_method_customer_decline' });
  });
});
