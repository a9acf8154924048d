/** Every reason a login is refused, as counted in /metrics (`spi_login_refusals_total{reason}`). */
export const LOGIN_REFUSAL_REASONS = ['missing', 'malformed', 'unknown-user', 'wrong-password', 'pair-blocked', 'address-blocked'] as const;
export type LoginRefusalReason = (typeof LOGIN_REFUSAL_REASONS)[number];

/** One refused login, for the log and the metrics: who tried from where, and why. Never the password. */
export interface LoginRefusal {
  requestId: string;
  /** The client address the limits count by (X-Forwarded-For's with TRUST_PROXY). */
  address: string;
  /** The username presented; null when there was none (no header, or one that is not Basic). */
  username: string | null;
  reason: LoginRefusalReason;
  /** On a 429: the seconds the client was told to wait. */
  retryAfterS?: number;
}
