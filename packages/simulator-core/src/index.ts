export { createSimulator, type Simulator, type SimulatorOptions } from './app';
export type { AcquirerCallbackEndpoint } from './acquirer-callbacks';
export { outcomeOf, type Outcome } from './outcome';
export { vippsWebhookHeaders, type VippsWebhookEndpoint } from './vipps';
