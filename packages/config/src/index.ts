export { loadConfig, loadConfigOrExit, DEV_CREDENTIALS, LOG_LEVELS, type Config, type Credential, type LogLevel, type PaymentMethod } from './config';
export { ConfigError } from './env';
export type { SecurityConfig, TlsFiles } from './security';
export { DEV_VIEW_PUSH_SECRET, VIEW_PUSH_PATH, type ViewPushConfig } from './view-push';
export type { ProvidersConfig, StripeMerchant } from './providers';
