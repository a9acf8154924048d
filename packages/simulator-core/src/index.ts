export { createSimulator, type Simulator, type SimulatorOptions } from './app';
export { outcomeOf, type Outcome } from './outcome';
export { vippsWebhookHeaders, type VippsWebhookEndpoint } from './vipps';
