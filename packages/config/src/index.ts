export {
  apiSchema,
  workerSchema,
  simulatorSchema,
  loadApiConfig,
  loadWorkerConfig,
  loadSimulatorConfig,
  loadApiConfigOrExit,
  loadWorkerConfigOrExit,
  loadSimulatorConfigOrExit,
  SCHEMAS,
  type ApiConfig,
  type WorkerConfig,
  type SimulatorConfig,
} from './schemas';
export { READERS, type Reader, type Schema } from './schema';
export { declares, type Part } from './part';
export { configurationReference } from './reference';
export type { Env, Variable } from './variable';
export { LOG_FORMATS, LOG_LEVELS, type LogFormatSetting, type LogLevel } from './logging';
export type { PaymentMethod } from './payment-methods';
export { DEV_CREDENTIALS, loadCredentials, type Credential, type CredentialSource } from './credentials';
export { ConfigError } from './env';
export type { SecurityConfig, TlsFiles } from './security';
export { DEV_VIEW_PUSH_SECRET, VIEW_PUSH_PATH, type ViewPushListenerConfig, type ViewPushSenderConfig } from './view-push';
export type { OverloadConfig } from './overload';
export type { ProvidersConfig, StripeMerchant } from './providers';
export {
  WALLET_PROVIDERS,
  walletProviders,
  type StripeWalletMerchant,
  type VippsMobilePayMerchant,
  type WalletMerchant,
  type WalletProvidersConfig,
} from './wallet-providers';
export type { ReconciliationConfig } from './reconciliation';
