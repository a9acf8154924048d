export { loadConfig, loadConfigOrExit, LOG_FORMATS, LOG_LEVELS, type Config, type LogFormatSetting, type LogLevel, type PaymentMethod } from './config';
export { DEV_CREDENTIALS, loadCredentials, type Credential, type CredentialSource } from './credentials';
export { ConfigError } from './env';
export type { SecurityConfig, TlsFiles } from './security';
export { DEV_VIEW_PUSH_SECRET, VIEW_PUSH_PATH, type ViewPushConfig } from './view-push';
export type { OverloadConfig } from './overload';
export type { ProvidersConfig, StripeMerchant } from './providers';
