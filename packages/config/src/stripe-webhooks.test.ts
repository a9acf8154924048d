import { problemOf } from './__fixtures__/config-problem';
import { loadApiConfig, loadSimulatorConfig } from './index';

const problem = problemOf(loadApiConfig);

test('no STRIPE_WEBHOOK_SECRETS → no secrets: the Stripe webhook endpoint is off', () => {
  expect(loadApiConfig({}).stripeWebhooks).toEqual({ secrets: {} });
});

test('one secret per merchant, or two while one is rolled → each merchant’s list', () => {
  const c = loadApiConfig({ STRIPE_WEBHOOK_SECRETS: JSON.stringify({ shop: 'whsec_a1', chain: ['whsec_new', 'whsec_old'] }) });
  expect(c.stripeWebhooks.secrets).toEqual({ shop: ['whsec_a1'], chain: ['whsec_new', 'whsec_old'] });
});

test.each([
  ['not JSON', '{', /^STRIPE_WEBHOOK_SECRETS: is not valid JSON/],
  ['a list at the top', '["whsec_a"]', /must be a JSON object/],
  ['an API key instead of the endpoint secret', '{"shop":"sk_test_abc"}', /merchant "shop": must be a webhook endpoint's signing secret/],
  ['an empty list', '{"shop":[]}', /merchant "shop"/],
])('%s → one line naming STRIPE_WEBHOOK_SECRETS', (_what, value, expected) => {
  expect(problem({ STRIPE_WEBHOOK_SECRETS: value })).toMatch(expected);
});

test('the simulator sends Stripe webhooks only with a URL and a whsec_ secret', () => {
  expect(loadSimulatorConfig({}).simulator.stripeWebhook).toBeNull();
  expect(loadSimulatorConfig({ SIM_STRIPE_WEBHOOK_URL: 'http://127.0.0.1:3000/webhooks/stripe', SIM_STRIPE_WEBHOOK_SECRET: 'whsec_sim' }).simulator.stripeWebhook).toEqual({
    url: 'http://127.0.0.1:3000/webhooks/stripe',
    secret: 'whsec_sim',
  });
  expect(problemOf(loadSimulatorConfig)({ SIM_STRIPE_WEBHOOK_URL: 'http://127.0.0.1:3000/webhooks/stripe' })).toMatch(/^SIM_STRIPE_WEBHOOK_SECRET: /);
  expect(problemOf(loadSimulatorConfig)({ SIM_STRIPE_WEBHOOK_URL: 'nope', SIM_STRIPE_WEBHOOK_SECRET: 'whsec_sim' })).toMatch(/^SIM_STRIPE_WEBHOOK_URL: /);
});
