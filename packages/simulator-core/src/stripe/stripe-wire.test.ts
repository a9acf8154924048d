import { startSimulator, sleep } from '../__fixtures__/start';

type Started = Awaited<ReturnType<typeof startSimulator>>;
let s: Started;
beforeAll(async () => {
  // 1 s per reader phase: the busy window outlasts a few calls on a loaded machine.
  s = await startSimulator({ approveDelayMs: 2000 });
});
afterAll(() => s.close());

const KEY = 'sk_test_wire';
/** A Stripe call as the SDK makes it: Bearer key, form-encoded body. */
async function stripe(method: 'GET' | 'POST', route: string, form: Record<string, string> = {}, headers: Record<string, string> = {}) {
  const body = new URLSearchParams(form).toString();
  const res = await fetch(`${s.url}/v1${route}${method === 'GET' && body ? `?${body}` : ''}`, {
    method,
    headers: { authorization: `Bearer ${KEY}`, 'content-type': 'application/x-www-form-urlencoded', ...headers },
    body: method === 'POST' ? body : undefined,
  });
  return { status: res.status, body: (await res.json()) as Record<string, any>, replayed: res.headers.get('idempotent-replayed') }; // eslint-disable-line @typescript-eslint/no-explicit-any
}

let n = 0;
const intentForm = (amount = '39800') => ({
  amount,
  currency: 'sek',
  capture_method: 'manual',
  'allowed_payment_method_types[0]': 'card_present',
  'metadata[paymentid]': `wire-${process.pid}-${++n}`,
});

describe('the Stripe-wire simulator', () => {
  test('a form-encoded create → a PaymentIntent requiring a payment method, metadata nested from brackets', async () => {
    const res = await stripe('POST', '/payment_intents', intentForm());
    expect(res.status).toBe(200);
    expect(res.body).toMatchObject({ object: 'payment_intent', status: 'requires_payment_method', capture_method: 'manual', allowed_payment_method_types: ['card_present'], amount: 39800 });
    expect(res.body.id).toMatch(/^pi_/);
    expect(res.body.metadata.paymentid).toMatch(/^wire-/);
  });

  test('the same Idempotency-Key → the stored answer replayed; with other parameters → idempotency_error', async () => {
    const form = intentForm();
    const a = await stripe('POST', '/payment_intents', form, { 'idempotency-key': `${form['metadata[paymentid]']}:intent` });
    const b = await stripe('POST', '/payment_intents', form, { 'idempotency-key': `${form['metadata[paymentid]']}:intent` });
    expect(b.body.id).toBe(a.body.id);
    expect(b.replayed).toBe('true');
    const c = await stripe('POST', '/payment_intents', { ...form, amount: '100' }, { 'idempotency-key': `${form['metadata[paymentid]']}:intent` });
    expect(c.status).toBe(400);
    expect(c.body.error).toMatchObject({ type: 'idempotency_error' });
  });

  test('no key → 401 authentication_error; a live key is refused; an unknown id → 404 resource_missing', async () => {
    const res = await fetch(`${s.url}/v1/payment_intents/pi_x`);
    expect(res.status).toBe(401);
    expect(((await res.json()) as { error: { type: string } }).error.type).toBe('authentication_error');
    const live = await fetch(`${s.url}/v1/payment_intents/pi_x`, { headers: { authorization: 'Bearer sk_live_abc' } });
    expect(live.status).toBe(401);
    const unknown = await stripe('GET', '/payment_intents/pi_nope');
    expect(unknown.status).toBe(404);
    expect(unknown.body.error).toMatchObject({ type: 'invalid_request_error', code: 'resource_missing' });
  });

  test('process on a reader → in_progress; busy while authorizing; approved → requires_capture; capture → succeeded; the ledger follows', async () => {
    const pi = (await stripe('POST', '/payment_intents', intentForm())).body;
    const reader = `tmr_wire${n}`;
    const started = await stripe('POST', `/terminal/readers/${reader}/process_payment_intent`, { payment_intent: pi.id });
    expect(started.body.action).toMatchObject({ type: 'process_payment_intent', status: 'in_progress', process_payment_intent: { payment_intent: pi.id } });
    await stripe('POST', `/test_helpers/terminal/readers/${reader}/present_payment_method`, {});
    // A capture while the card is still being authorized is refused with the intent, as at Stripe.
    expect((await stripe('POST', `/payment_intents/${pi.id}/capture`)).body.error).toMatchObject({
      code: 'payment_intent_unexpected_state',
      message: 'This PaymentIntent could not be captured because it has a status of requires_confirmation.',
      payment_intent: { id: pi.id, status: 'requires_confirmation' },
    });
    const other = (await stripe('POST', '/payment_intents', intentForm())).body;
    const busy = await stripe('POST', `/terminal/readers/${reader}/process_payment_intent`, { payment_intent: other.id });
    expect(busy.body.error).toMatchObject({ code: 'terminal_reader_busy' });
    expect((await stripe('POST', `/terminal/readers/${reader}/cancel_action`)).body.error).toMatchObject({ code: 'terminal_reader_busy' });
    await sleep(1300);
    const authorized = await stripe('GET', `/payment_intents/${pi.id}`, { 'expand[0]': 'latest_charge' });
    expect(authorized.body).toMatchObject({ status: 'requires_capture', amount_capturable: 39800 });
    expect(authorized.body.latest_charge.payment_method_details.card_present).toMatchObject({ brand: 'visa', last4: '4242' });
    expect((await s.call('GET', `/sim/ledger/${pi.metadata.paymentid}`)).body).toMatchObject({ authorizedMinor: 39800, capturedMinor: 0 });
    expect((await stripe('POST', `/payment_intents/${pi.id}/capture`)).body.status).toBe('succeeded');
    expect((await s.call('GET', `/sim/ledger/${pi.metadata.paymentid}`)).body).toMatchObject({ authorizedMinor: 39800, capturedMinor: 39800, voidedMinor: 0 });
    expect((await stripe('POST', `/payment_intents/${pi.id}/capture`)).body.error).toMatchObject({
      type: 'invalid_request_error',
      code: 'payment_intent_unexpected_state',
      message: 'This PaymentIntent could not be captured because it has already been captured.',
      payment_intent: { id: pi.id, status: 'succeeded' },
    });
    // The reader's action inlines its intent, and with `.latest_charge` the intent's charge too.
    const withCharge = await stripe('GET', `/terminal/readers/${reader}`, { 'expand[0]': 'action.process_payment_intent.payment_intent.latest_charge' });
    expect(withCharge.body.action.process_payment_intent.payment_intent.latest_charge.payment_method_details.card_present).toMatchObject({ last4: '4242' });
  });

  test('an amount ending in .05 is declined by the reader; cancelling an authorized intent voids it', async () => {
    const declined = (await stripe('POST', '/payment_intents', intentForm('10005'))).body;
    await stripe('POST', `/terminal/readers/tmr_decl${n}/process_payment_intent`, { payment_intent: declined.id });
    await stripe('POST', `/test_helpers/terminal/readers/tmr_decl${n}/present_payment_method`, {});
    await sleep(1300);
    const reader = await stripe('GET', `/terminal/readers/tmr_decl${n}`);
    expect(reader.body.action).toMatchObject({ status: 'failed', failure_code: 'card_declined' });
    expect((await stripe('GET', `/payment_intents/${declined.id}`)).body).toMatchObject({ status: 'requires_payment_method', last_payment_error: { decline_code: 'generic_decline' } });

    const held = (await stripe('POST', '/payment_intents', intentForm())).body;
    await stripe('POST', `/terminal/readers/tmr_void${n}/process_payment_intent`, { payment_intent: held.id });
    await stripe('POST', `/test_helpers/terminal/readers/tmr_void${n}/present_payment_method`, {});
    await sleep(1300);
    expect((await stripe('POST', `/payment_intents/${held.id}/cancel`)).body.status).toBe('canceled');
    expect((await s.call('GET', `/sim/ledger/${held.metadata.paymentid}`)).body).toMatchObject({ authorizedMinor: 39800, capturedMinor: 0, voidedMinor: 39800 });
  });

  test('an offline reader → terminal_reader_offline; the acquirer down → 503 api_error', async () => {
    const pi = (await stripe('POST', '/payment_intents', intentForm())).body;
    expect((await stripe('POST', '/terminal/readers/tmr_offline1/process_payment_intent', { payment_intent: pi.id })).body.error).toMatchObject({ code: 'terminal_reader_offline' });
    await s.call('POST', '/sim/faults', { down: true });
    try {
      const down = await stripe('GET', `/payment_intents/${pi.id}`);
      expect(down.status).toBe(503);
      expect(down.body.error.type).toBe('api_error');
    } finally {
      await s.call('POST', '/sim/faults', { down: false });
    }
  });
});

describe('the Stripe-wire simulator, faults a payment must survive (POST /sim/stripe/faults)', () => {
  afterEach(() => s.call('POST', '/sim/stripe/faults', { searchLagMs: 0, hold: null }));

  test('a replay while the first create still executes → 409 idempotency_error, nothing stored; after its answer → the same intent', async () => {
    const form = intentForm();
    const key = { 'idempotency-key': `${form['metadata[paymentid]']}:intent` };
    expect((await s.call('POST', '/sim/stripe/faults', { hold: { path: '/v1/payment_intents', ms: 1500 } })).body.hold).toMatchObject({ path: '/v1/payment_intents' });
    const first = stripe('POST', '/payment_intents', form, key);
    await sleep(300);
    expect((await s.call('GET', `/sim/ledger/${form['metadata[paymentid]']}`)).body).toMatchObject({ status: 'requires_payment_method' }); // executed, not answered
    const concurrent = await stripe('POST', '/payment_intents', form, key);
    expect(concurrent.status).toBe(409);
    expect(concurrent.body.error).toMatchObject({ type: 'idempotency_error' });
    const answered = await first;
    expect(answered.status).toBe(200);
    const replay = await stripe('POST', '/payment_intents', form, key);
    expect(replay).toMatchObject({ status: 200, replayed: 'true' });
    expect(replay.body.id).toBe(answered.body.id);
    const all = (await s.call('GET', '/sim/ledger')).body.payments as Record<string, { reference: string }>;
    expect(Object.values(all).filter((p) => p.reference === form['metadata[paymentid]'])).toHaveLength(1);
  });

  test('a search lag: a new intent is not found by metadata search until the lag has passed, but is retrieved by id at once', async () => {
    await s.call('POST', '/sim/stripe/faults', { searchLagMs: 60_000 });
    const pi = (await stripe('POST', '/payment_intents', intentForm())).body;
    const query = { query: `metadata['paymentid']:'${pi.metadata.paymentid}'` };
    expect((await stripe('GET', '/payment_intents/search', query)).body.data).toEqual([]);
    expect((await stripe('GET', `/payment_intents/${pi.id}`)).body.id).toBe(pi.id);
    await s.call('POST', '/sim/stripe/faults', { searchLagMs: 0 });
    expect((await stripe('GET', '/payment_intents/search', query)).body.data.map((p: { id: string }) => p.id)).toEqual([pi.id]);
  });

  test('the controls refuse a bad body with 400', async () => {
    expect((await s.call('POST', '/sim/stripe/faults', { searchLagMs: -1 })).status).toBe(400);
    expect((await s.call('POST', '/sim/stripe/faults', { hold: { path: '', ms: 10 } })).status).toBe(400);
  });
});
