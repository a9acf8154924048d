import type { Logger } from 'pino';
import { ConfigError, loadCredentials, type Credential } from '@payments/config';
import type { CredentialStore } from './credential-store';

/**
 * What SIGHUP does: re-reads SPI_CREDENTIALS_FILE, checked exactly as at start. A file that
 * would not start the API changes nothing: the credentials in use stay, and one line says why.
 * Returns whether the credentials were replaced.
 */
export function rereadCredentials(opts: { store: CredentialStore; env: Record<string, string | undefined>; production: boolean; logger: Logger }): boolean {
  const { store, env, production, logger } = opts;
  const file = env.SPI_CREDENTIALS_FILE ?? '';
  if (file === '') {
    logger.warn('credentials not re-read: they come from SPI_CREDENTIALS, which cannot change while the API runs (use SPI_CREDENTIALS_FILE)');
    return false;
  }
  let credentials: readonly Credential[];
  try {
    ({ credentials } = loadCredentials(env, production));
  } catch (err) {
    if (!(err instanceof ConfigError)) throw err;
    logger.error({ problem: err.message }, `credentials not re-read, the ones in use stay: ${err.message}`);
    return false;
  }
  store.replace(credentials);
  logger.info({ file, usernames: credentials.length }, 'credentials re-read from SPI_CREDENTIALS_FILE');
  return true;
}
