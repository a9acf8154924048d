import * as path from 'node:path';
import { problemOf } from './__fixtures__/config-problem';
import { loadWorkerConfig } from './index';

const problem = problemOf(loadWorkerConfig);

test('no RECONCILIATION_* → the demo merchant, one schedule for all at 03:00 UTC, reports under .data/reconciliation', () => {
  expect(loadWorkerConfig({}).reconciliation).toEqual({ merchants: ['demo'], schedule: 'all', hour: 3, timeZone: 'UTC', reportDir: path.resolve('.data/reconciliation') });
});

test('merchants as a comma list, one schedule each at 04:00 Stockholm time', () => {
  const c = loadWorkerConfig({ RECONCILIATION_MERCHANTS: ' shop-a, shop-b ,shop-a', RECONCILIATION_SCHEDULE: 'per-merchant', RECONCILIATION_HOUR: '4', RECONCILIATION_TIME_ZONE: 'Europe/Stockholm' });
  expect(c.reconciliation).toMatchObject({ merchants: ['shop-a', 'shop-b'], schedule: 'per-merchant', hour: 4, timeZone: 'Europe/Stockholm' });
});

test.each([
  ['a time zone that is none', { RECONCILIATION_TIME_ZONE: 'Europe/Atlantis' }, /^RECONCILIATION_TIME_ZONE: "Europe\/Atlantis" is not an IANA time zone/],
  ['an hour past 23', { RECONCILIATION_HOUR: '24' }, /^RECONCILIATION_HOUR: /],
  ['another schedule', { RECONCILIATION_SCHEDULE: 'weekly' }, /^RECONCILIATION_SCHEDULE: /],
  ['a merchant name with a quote', { RECONCILIATION_MERCHANTS: "demo,o'hara" }, /^RECONCILIATION_MERCHANTS: "o'hara" is not a merchant name/],
])('%s → one line naming the variable', (_what, env, expected) => {
  expect(problem(env)).toMatch(expected);
});
