import { problemOf } from './__fixtures__/config-problem';
import { loadWorkerConfig } from './index';

const stripe = (over: Record<string, unknown> = {}) =>
  JSON.stringify({ shop: { provider: 'stripe', secretKey: 'sk_test_abc', readers: { SIE0000160000051: 'tmr_FDOt2wlRZEdpd7' }, ...over } });
const problem = problemOf(loadWorkerConfig);

test('no CARD_PROVIDERS → every merchant on ACQUIRER_URL; Stripe at api.stripe.com by default', () => {
  expect(loadWorkerConfig({}).cardProviders).toEqual({ stripeApiUrl: 'https://api.stripe.com', merchants: {} });
});

test('a Stripe merchant with its key and readers, pointed at the simulator', () => {
  const c = loadWorkerConfig({ CARD_PROVIDERS: stripe(), MERCHANT_PAYMENT_METHODS: '{"shop":"card"}', STRIPE_API_URL: 'http://127.0.0.1:3100/' });
  expect(c.cardProviders).toEqual({
    stripeApiUrl: 'http://127.0.0.1:3100',
    merchants: { shop: { provider: 'stripe', secretKey: 'sk_test_abc', readers: { SIE0000160000051: 'tmr_FDOt2wlRZEdpd7' } } },
  });
});

test.each([
  ['not JSON', { CARD_PROVIDERS: '{' }, /^CARD_PROVIDERS: is not valid JSON/],
  ['another provider', { CARD_PROVIDERS: stripe({ provider: 'adyen' }) }, /provider must be "stripe"/],
  ['a publishable key', { CARD_PROVIDERS: stripe({ secretKey: 'pk_test_abc' }) }, /secretKey must be a Stripe secret/],
  ['no readers', { CARD_PROVIDERS: stripe({ readers: {} }) }, /readers must map each register/],
  ['a reader that is no reader id', { CARD_PROVIDERS: stripe({ readers: { P1: 'reader-1' } }) }, /reader of "P1" must be a Stripe reader id/],
  ['a Stripe merchant paying by wallet', { CARD_PROVIDERS: stripe() }, /set "shop": "card" in MERCHANT_PAYMENT_METHODS/],
  ['a live key outside production', { CARD_PROVIDERS: stripe({ secretKey: 'sk_live_abc' }), MERCHANT_PAYMENT_METHODS: '{"shop":"card"}' }, /live key is taken only with NODE_ENV=production/],
  ['a bad STRIPE_API_URL', { STRIPE_API_URL: 'nope' }, /^STRIPE_API_URL: /],
  ['webhooks that are not a flag', { CARD_PROVIDERS: stripe({ webhooks: 'yes' }) }, /webhooks must be true or false/],
  ['a poll faster than 100 ms', { CARD_PROVIDERS: stripe({ pollEveryMs: 50 }) }, /pollEveryMs must be a whole number/],
  ['no requests a second', { CARD_PROVIDERS: stripe({ requestsPerSecond: 0 }) }, /requestsPerSecond must be a number of requests a second/],
])('%s → one line naming the variable', (_what, env, expected) => {
  expect(problem(env)).toMatch(expected);
});

test('a Stripe merchant whose webhooks reach the API, with its fallback poll interval', () => {
  const c = loadWorkerConfig({ CARD_PROVIDERS: stripe({ webhooks: true, pollEveryMs: 8000 }), MERCHANT_PAYMENT_METHODS: '{"shop":"card"}' });
  expect(c.cardProviders.merchants.shop).toMatchObject({ webhooks: true, pollEveryMs: 8000 });
});

test('a Stripe account shared by two workers: each takes its share of the limit', () => {
  const c = loadWorkerConfig({ CARD_PROVIDERS: stripe({ requestsPerSecond: 10 }), MERCHANT_PAYMENT_METHODS: '{"shop":"card"}' });
  expect(c.cardProviders.merchants.shop?.requestsPerSecond).toBe(10);
});
