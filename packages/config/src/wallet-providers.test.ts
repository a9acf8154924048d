import { problemOf } from './__fixtures__/config-problem';
import { loadWorkerConfig, walletProviders } from './index';

const stripe = (over: Record<string, unknown> = {}) => JSON.stringify({ shop: { provider: 'stripe', secretKey: 'sk_test_abc', ...over } });
const vipps = (over: Record<string, unknown> = {}) =>
  JSON.stringify({
    kiosk: {
      provider: 'vipps-mobilepay',
      clientId: 'client-1',
      clientSecret: 'secret-1',
      subscriptionKey: 'sub-1',
      merchantSerialNumber: '123456',
      environment: 'test',
      currency: 'NOK',
      ...over,
    },
  });
const problem = problemOf(loadWorkerConfig);

test('no WALLET_PROVIDERS → every wallet merchant on ACQUIRER_URL', () => {
  expect(loadWorkerConfig({}).walletProviders).toEqual({ stripeApiUrl: 'https://api.stripe.com', merchants: {} });
});

test('a Swish-on-Stripe merchant (wallet by default) and a Vipps MobilePay merchant on the simulator', () => {
  const both = JSON.stringify({ ...JSON.parse(stripe({ webhooks: true, pollEveryMs: 8000 })), ...JSON.parse(vipps({ apiUrl: 'http://127.0.0.1:3100/vipps' })) });
  const c = loadWorkerConfig({ WALLET_PROVIDERS: both, MERCHANT_PAYMENT_METHODS: '{"kiosk":"wallet"}', STRIPE_API_URL: 'http://127.0.0.1:3100/' });
  expect(c.walletProviders).toEqual({
    stripeApiUrl: 'http://127.0.0.1:3100',
    merchants: {
      shop: { provider: 'stripe', secretKey: 'sk_test_abc', webhooks: true, pollEveryMs: 8000 },
      kiosk: {
        provider: 'vipps-mobilepay',
        clientId: 'client-1',
        clientSecret: 'secret-1',
        subscriptionKey: 'sub-1',
        merchantSerialNumber: '123456',
        environment: 'test',
        apiUrl: 'http://127.0.0.1:3100/vipps',
        currency: 'NOK',
      },
    },
  });
});

test('live money under NODE_ENV=production', () => {
  const production = { production: true, development: false };
  expect(walletProviders.load({ WALLET_PROVIDERS: stripe({ secretKey: 'sk_live_abc' }) }, production).walletProviders.merchants.shop).toMatchObject({ secretKey: 'sk_live_abc' });
  expect(walletProviders.load({ WALLET_PROVIDERS: vipps({ environment: 'production' }) }, production).walletProviders.merchants.kiosk).toMatchObject({ environment: 'production' });
});

test.each([
  ['not JSON', { WALLET_PROVIDERS: '[' }, /^WALLET_PROVIDERS: is not valid JSON/],
  ['a list', { WALLET_PROVIDERS: '[]' }, /^WALLET_PROVIDERS: must be a JSON object/],
  ['another provider', { WALLET_PROVIDERS: stripe({ provider: 'adyen' }) }, /provider must be "stripe" or "vipps-mobilepay"/],
  ['a publishable key', { WALLET_PROVIDERS: stripe({ secretKey: 'pk_test_abc' }) }, /secretKey must be a Stripe secret/],
  ['a Stripe wallet merchant paying by card', { WALLET_PROVIDERS: stripe(), MERCHANT_PAYMENT_METHODS: '{"shop":"card"}' }, /set "shop": "wallet" in MERCHANT_PAYMENT_METHODS/],
  ['a live Stripe key outside production', { WALLET_PROVIDERS: stripe({ secretKey: 'sk_live_abc' }) }, /live key is taken only with NODE_ENV=production/],
  ['webhooks that are not a flag', { WALLET_PROVIDERS: stripe({ webhooks: 'yes' }) }, /webhooks must be true or false/],
  ['a poll faster than 100 ms', { WALLET_PROVIDERS: vipps({ pollEveryMs: 50 }) }, /pollEveryMs must be a whole number/],
  ['Vipps without a client secret', { WALLET_PROVIDERS: vipps({ clientSecret: '' }) }, /clientSecret must be/],
  ['Vipps without a subscription key', { WALLET_PROVIDERS: vipps({ subscriptionKey: undefined }) }, /subscriptionKey must be/],
  ['an MSN that is not digits', { WALLET_PROVIDERS: vipps({ merchantSerialNumber: 'MSN-1' }) }, /merchantSerialNumber must be .* digits/],
  ['an MSN given as a number', { WALLET_PROVIDERS: vipps({ merchantSerialNumber: 123456 }) }, /merchantSerialNumber must be/],
  ['an unknown environment', { WALLET_PROVIDERS: vipps({ environment: 'staging' }) }, /environment must be "test" or "production"/],
  ['an apiUrl that is no URL', { WALLET_PROVIDERS: vipps({ apiUrl: 'simulator' }) }, /apiUrl must be an http\(s\) URL/],
  ['a currency Vipps MobilePay does not take', { WALLET_PROVIDERS: vipps({ currency: 'SEK' }) }, /currency must be "NOK", "DKK" or "EUR"/],
  ['Vipps production outside production', { WALLET_PROVIDERS: vipps({ environment: 'production' }) }, /"production" environment is taken only with NODE_ENV=production/],
])('%s → one line naming the variable', (_what, env, expected) => {
  expect(problem(env as Record<string, string>)).toMatch(expected);
  expect(problem(env as Record<string, string>)).toMatch(/^WALLET_PROVIDERS: /);
});
