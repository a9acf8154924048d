import type { Context, Middleware } from 'koa';
import type { Credential, SecurityConfig } from '@payments/config';
import type { AppState } from '../app-state';
import { createAuthenticator, type Authenticator } from './authenticator';
import { SpiError } from '../http';
import { TokenBuckets } from './token-buckets';

/** How many client addresses the failed-login limiter remembers at once. */
const MAX_CLIENTS = 50_000;

function tooMany(ctx: Context, waitMs: number, message: string): SpiError {
  ctx.set('Retry-After', String(Math.max(1, Math.ceil(waitMs / 1000))));
  return new SpiError('too-many-requests', message);
}

/**
 * Basic auth for SPI routes, with its two limits. A client address with too many failed logins
 * in the window gets 429 before its credentials are even checked (so a right guess looks like a
 * wrong one); a credential past its request rate gets 429. Both say when to retry. Sets
 * `ctx.state.merchant` on success.
 */
export function authMiddleware(opts: {
  credentials: readonly Credential[];
  security: Pick<SecurityConfig, 'rateLimit' | 'loginFailures'>;
  now: () => number;
  /** Tests hand in their own; by default, one over `credentials`. */
  authenticate?: Authenticator;
}): Middleware<AppState> {
  const { rateLimit, loginFailures } = opts.security;
  const authenticate = opts.authenticate ?? createAuthenticator(opts.credentials, opts.now);
  const requests = rateLimit.perSecond > 0 ? new TokenBuckets({ capacity: rateLimit.burst, perSecond: rateLimit.perSecond }) : null;
  const failures =
    loginFailures.limit > 0
      ? new TokenBuckets({ capacity: loginFailures.limit, perSecond: (loginFailures.limit * 1000) / loginFailures.windowMs, maxKeys: MAX_CLIENTS })
      : null;

  return async (ctx, next) => {
    const client = ctx.ip;
    const blockedMs = failures?.wait(client, opts.now()) ?? 0;
    if (blockedMs > 0) throw tooMany(ctx, blockedMs, 'too many failed logins from this address, retry later');

    const authorization = ctx.get('authorization') || undefined;
    const principal = await authenticate(authorization);
    if (principal === null) {
      // Only a presented credential counts as a guess; a request without one is no login attempt.
      if (authorization !== undefined) failures?.take(client, opts.now());
      throw new SpiError('unauthorized', 'missing or wrong credentials');
    }

    const waitMs = requests?.take(principal.username, opts.now()) ?? 0;
    if (waitMs > 0) throw tooMany(ctx, waitMs, 'too many requests for this credential, retry later');
    ctx.state.merchant = principal.merchant;
    await next();
  };
}
