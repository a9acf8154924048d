import { startSimulator } from '../__fixtures__/start';
import { StripeRateLimit, maskKey } from './stripe-rate-limit';

type Started = Awaited<ReturnType<typeof startSimulator>>;
let s: Started;
beforeAll(async () => {
  s = await startSimulator();
});
afterAll(() => s.close());
afterEach(() => s.call('POST', '/sim/stripe/faults', { rateLimit: null }));

/** A Stripe call as the SDK makes it, with this secret key. */
async function stripe(key: string, method: 'GET' | 'POST', route: string, form: Record<string, string> = {}) {
  const res = await fetch(`${s.url}/v1${route}`, {
    method,
    headers: { authorization: `Bearer ${key}`, 'content-type': 'application/x-www-form-urlencoded' },
    body: method === 'POST' ? new URLSearchParams(form).toString() : undefined,
  });
  return { status: res.status, body: (await res.json()) as { error?: Record<string, unknown>; id?: string }, shouldRetry: res.headers.get('stripe-should-retry') };
}

let n = 0;
const intentForm = () => ({ amount: '1000', currency: 'sek', capture_method: 'manual', 'allowed_payment_method_types[0]': 'card_present', 'metadata[paymentid]': `rl-${process.pid}-${++n}` });

describe("the Stripe-wire simulator's sandbox rate limit", () => {
  test('60 requests at once on one key → about 25 answered (Stripe’s sandbox limit), the rest refused with 429 rate_limit and Stripe-Should-Retry: true; another key is not affected', async () => {
    const key = `sk_test_burst${process.pid}`;
    const answers = await Promise.all(Array.from({ length: 60 }, () => stripe(key, 'GET', '/terminal/readers/tmr_rl1')));
    const refused = answers.filter((a) => a.status === 429);
    const answered = answers.filter((a) => a.status === 200).length;
    expect(answered).toBeGreaterThanOrEqual(25);
    expect(answered).toBeLessThan(60); // tokens refill at 25 a second while the burst arrives
    expect(refused.length).toBe(60 - answered);
    expect(refused[0]).toMatchObject({ shouldRetry: 'true', body: { error: { type: 'invalid_request_error', code: 'rate_limit' } } });
    expect((await stripe(`sk_test_other${process.pid}`, 'GET', '/terminal/readers/tmr_rl2')).status).toBe(200);
  });

  test('a lowered limit (POST /sim/stripe/faults rateLimit) → the 429 does nothing: a refused create makes no intent; the usage counts reads, writes and 429s per key', async () => {
    const key = `sk_test_low${process.pid}`;
    expect((await s.call('POST', '/sim/stripe/faults', { rateLimit: { perSecond: 2, shouldRetry: false } })).body.rateLimit).toEqual({ perSecond: 2, shouldRetry: false });
    const forms = [intentForm(), intentForm(), intentForm()];
    const answers = [];
    for (const form of forms) answers.push(await stripe(key, 'POST', '/payment_intents', form));
    expect(answers.map((a) => a.status)).toEqual([200, 200, 429]);
    expect(answers[2]!.shouldRetry).toBe('false');
    expect((await s.call('GET', `/sim/ledger/${forms[2]!['metadata[paymentid]']}`)).status).toBe(404);
    await new Promise((done) => setTimeout(done, 600)); // one token back at 2 a second
    expect((await stripe(key, 'GET', `/payment_intents/${answers[0]!.body.id}`)).status).toBe(200);
    const usage = (await s.call('GET', '/sim/stripe/usage')).body.accounts[maskKey(key)];
    expect(usage).toEqual({ read: 1, write: 3, rateLimited: 1, endpoints: { 'POST /v1/payment_intents': 3, 'GET /v1/payment_intents/:id': 1 } });
  });

  test('the controls refuse a bad rateLimit with 400', async () => {
    expect((await s.call('POST', '/sim/stripe/faults', { rateLimit: { perSecond: 0 } })).status).toBe(400);
    expect((await s.call('POST', '/sim/stripe/faults', { rateLimit: { shouldRetry: 'no' } })).status).toBe(400);
  });
});

test('the bucket refills at the limit a second, never above it', () => {
  let now = 0;
  const limit = new StripeRateLimit(() => now);
  limit.set({ perSecond: 4 });
  const admitted = () => {
    try {
      limit.admit('sk_test_x', 'GET');
      return true;
    } catch {
      return false;
    }
  };
  expect([admitted(), admitted(), admitted(), admitted(), admitted()]).toEqual([true, true, true, true, false]);
  now += 250;
  expect([admitted(), admitted()]).toEqual([true, false]);
  now += 10_000;
  expect(Array.from({ length: 5 }, admitted).filter(Boolean)).toHaveLength(4);
  expect(limit.report()).toEqual({ sk_test_x: { read: 12, write: 0, rateLimited: 3, endpoints: { 'GET ': 12 } } });
});
