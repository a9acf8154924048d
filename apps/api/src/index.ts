export { createApp, type AppDeps, type Clock } from './app';
export { hashPassword } from './authenticator';
export type { AcquirerNotifier } from './callback-router';
export { signCallback } from './callback-signature';
export type { PaymentsClient, TemporalDeps } from './temporal-client';
