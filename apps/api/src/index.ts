export { createApp, type AppDeps, type Clock } from './app';
export { hashPassword } from './auth';
export type { AcquirerNotifier } from './callbacks';
export { signCallback } from '@payments/contract/signature';
export type { PaymentsClient, TemporalDeps } from './temporal';
