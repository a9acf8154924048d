import { problemOf } from './__fixtures__/config-problem';
import { loadApiConfig } from './index';

const problem = problemOf(loadApiConfig);

test('no VIPPS_WEBHOOK_SECRETS → no secrets: the Vipps MobilePay webhook endpoint is off', () => {
  expect(loadApiConfig({}).vippsWebhooks).toEqual({ secrets: {} });
});

test('one secret per merchant, or two while one is rolled → each merchant’s list', () => {
  const c = loadApiConfig({ VIPPS_WEBHOOK_SECRETS: JSON.stringify({ oslo: 'a-secret-of-16-chars', bergen: ['the-new-secret-0123', 'the-old-secret-0123'] }) });
  expect(c.vippsWebhooks.secrets).toEqual({ oslo: ['a-secret-of-16-chars'], bergen: ['the-new-secret-0123', 'the-old-secret-0123'] });
});

test.each([
  ['not JSON', '{', /^VIPPS_WEBHOOK_SECRETS: is not valid JSON/],
  ['a list at the top', '["a-secret-of-16-chars"]', /must be a JSON object/],
  ['a secret too short to be Vipps’s', '{"oslo":"short"}', /merchant "oslo": must be the secret Vipps MobilePay returned/],
  ['an empty list', '{"oslo":[]}', /merchant "oslo"/],
])('%s → one line naming VIPPS_WEBHOOK_SECRETS', (_what, value, expected) => {
  expect(problem({ VIPPS_WEBHOOK_SECRETS: value })).toMatch(expected);
});
