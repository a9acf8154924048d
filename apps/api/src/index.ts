export { createApp, type AppDeps, type Clock } from './app';
export { hashPassword } from './authenticator';
export type { PaymentsClient, TemporalDeps } from './temporal-client';
