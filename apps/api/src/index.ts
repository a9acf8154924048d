export { createApp, type AppDeps, type Clock } from './app';
export { hashPassword } from './authenticator';
export type { AcquirerNotifier } from './callback-router';
export { signCallback } from '@payments/contract/signature';
export type { PaymentsClient, TemporalDeps } from './temporal-client';
