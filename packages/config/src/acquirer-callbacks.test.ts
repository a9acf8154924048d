import { problemOf } from './__fixtures__/config-problem';
import { loadSimulatorConfig, loadWorkerConfig } from './index';

const SECRET = 'sim-acquirer-callback-secret-0123456789';

test('ACQUIRER_CALLBACKS unset → a bare worker long-polls the acquirer; true → its payments wait for the callbacks', () => {
  expect(loadWorkerConfig({}).acquirerCallbacks).toEqual({ pushed: false });
  expect(loadWorkerConfig({ ACQUIRER_CALLBACKS: 'true' }).acquirerCallbacks).toEqual({ pushed: true });
  expect(problemOf(loadWorkerConfig)({ ACQUIRER_CALLBACKS: 'yes' })).toMatch(/^ACQUIRER_CALLBACKS: /);
});

test('SIM_ACQUIRER_CALLBACK_URL with a secret → the simulator signs its acquirer events to it; unset → null', () => {
  expect(loadSimulatorConfig({}).simulator.acquirerCallback).toBeNull();
  const env = { SIM_ACQUIRER_CALLBACK_URL: 'http://127.0.0.1:3000/callbacks/acquirer', SIM_ACQUIRER_CALLBACK_SECRET: SECRET };
  expect(loadSimulatorConfig(env).simulator.acquirerCallback).toEqual({ url: env.SIM_ACQUIRER_CALLBACK_URL, secret: SECRET });
});

test('SIM_ACQUIRER_CALLBACK_URL without a secret of 32 characters, or not a URL → one line naming the variable', () => {
  expect(problemOf(loadSimulatorConfig)({ SIM_ACQUIRER_CALLBACK_URL: 'http://127.0.0.1:3000/callbacks/acquirer', SIM_ACQUIRER_CALLBACK_SECRET: 'short' })).toMatch(/^SIM_ACQUIRER_CALLBACK_SECRET: /);
  expect(problemOf(loadSimulatorConfig)({ SIM_ACQUIRER_CALLBACK_URL: 'nope', SIM_ACQUIRER_CALLBACK_SECRET: SECRET })).toMatch(/^SIM_ACQUIRER_CALLBACK_URL: /);
});
