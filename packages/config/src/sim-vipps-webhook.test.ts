import { problemOf } from './__fixtures__/config-problem';
import { loadSimulatorConfig } from './index';

test('SIM_VIPPS_WEBHOOK_URL with a secret → the simulator signs every Vipps webhook to it; unset → null', () => {
  expect(loadSimulatorConfig({}).simulator.vippsWebhook).toBeNull();
  const env = { SIM_VIPPS_WEBHOOK_URL: 'http://127.0.0.1:3000/webhooks/vipps-mobilepay', SIM_VIPPS_WEBHOOK_SECRET: 'sim-vipps-secret-0123' };
  expect(loadSimulatorConfig(env).simulator.vippsWebhook).toEqual({ url: env.SIM_VIPPS_WEBHOOK_URL, secret: env.SIM_VIPPS_WEBHOOK_SECRET });
});

test('SIM_VIPPS_WEBHOOK_URL without a secret of 16 characters, or not a URL → one line naming the variable', () => {
  expect(problemOf(loadSimulatorConfig)({ SIM_VIPPS_WEBHOOK_URL: 'http://127.0.0.1:3000/webhooks/vipps-mobilepay', SIM_VIPPS_WEBHOOK_SECRET: 'short' })).toMatch(/^SIM_VIPPS_WEBHOOK_SECRET: /);
  expect(problemOf(loadSimulatorConfig)({ SIM_VIPPS_WEBHOOK_URL: 'nope', SIM_VIPPS_WEBHOOK_SECRET: 'sim-vipps-secret-0123' })).toMatch(/^SIM_VIPPS_WEBHOOK_URL: /);
});
