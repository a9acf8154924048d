export { loadConfig, loadConfigOrExit, DEV_CREDENTIALS, type Config, type Credential, type PaymentMethod } from './config';
export { ConfigError } from './env';
