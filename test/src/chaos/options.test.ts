// `npm run chaos -- …`'s flags, as an operator types them.
import { DEFAULTS, parseArgs } from './options';

test('--cluster (no value) among the numeric flags → the cluster topology, the numbers kept', () => {
  expect(parseArgs(['--minutes', '2', '--cluster', '--registers', '8'])).toMatchObject({ minutes: 2, registers: 8, cluster: true, seed: DEFAULTS.seed });
  expect(parseArgs(['--cluster'])).toMatchObject({ cluster: true, minutes: DEFAULTS.minutes });
});

test('no --cluster → one dev server, worker and API, as before', () => {
  expect(parseArgs(['--seed', '7'])).toMatchObject({ cluster: false, seed: 7 });
});

test('an unknown flag → refused, naming every flag there is', () => {
  expect(() => parseArgs(['--clusters', '1'])).toThrow('unknown option --clusters: use --minutes, --registers, --seed, --cluster');
});
