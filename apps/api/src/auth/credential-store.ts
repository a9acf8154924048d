import type { Credential } from '@payments/config';
import { createAuthenticator, type Authenticator, type Principal } from './authenticator';

/**
 * The credentials logins are checked against, replaceable while the API runs (SIGHUP re-reads
 * SPI_CREDENTIALS_FILE). A replacement brings a fresh authenticator, so headers verified under
 * the old set are forgotten and a password taken out stops working at once; the failed-login
 * and request counts live in the middleware and carry over.
 */
export class CredentialStore {
  private authenticator: Authenticator;
  private usernames: ReadonlySet<string>;

  constructor(
    credentials: readonly Credential[],
    private readonly now: () => number = Date.now,
  ) {
    this.authenticator = createAuthenticator(credentials, now);
    this.usernames = new Set(credentials.map((c) => c.username));
  }

  /** The principal an Authorization header names, or null. */
  authenticate(authorization: string | undefined): Promise<Principal | null> {
    return this.authenticator(authorization);
  }

  /** Whether a username is configured (to tell an unknown user from a wrong password in the log). */
  knows(username: string): boolean {
    return this.usernames.has(username);
  }

  /** From now on, only `credentials` open the SPI. */
  replace(credentials: readonly Credential[]): void {
    this.authenticator = createAuthenticator(credentials, this.now);
    this.usernames = new Set(credentials.map((c) => c.username));
  }
}
