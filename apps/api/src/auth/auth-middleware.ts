import type { Context, Middleware } from 'koa';
import type { SecurityConfig } from '@payments/config';
import type { AppState } from '../app-state';
import { parseBasic } from './authenticator';
import type { CredentialStore } from './credential-store';
import { SpiError } from '../http';
import { LoginLimiter } from './login-limiter';
import type { LoginRefusal, LoginRefusalReason } from './login-refusal';
import { TokenBuckets } from './token-buckets';

/** Usernames longer than this are cut in the log line of a refused login. */
const LOGGED_USERNAME_CHARS = 64;
/** How many registers (or payments, for calls that name no register) the request limit remembers at once. */
const MAX_REGISTERS = 50_000;
/** A Register-ID longer than this is cut: it names a bucket, and keys stay small whatever is sent. */
const REGISTER_ID_CHARS = 64;

/** Sitoo's Register-ID header (URL-encoded on newer SPIs), or undefined when not sent. */
function registerIdOf(ctx: Context): string | undefined {
  const raw = ctx.get('register-id');
  if (raw === '') return undefined;
  try {
    return decodeURIComponent(raw).slice(0, REGISTER_ID_CHARS);
  } catch {
    return raw.slice(0, REGISTER_ID_CHARS);
  }
}

function retryAfterS(waitMs: number): number {
  return Math.max(1, Math.ceil(waitMs / 1000));
}

function tooMany(ctx: Context, waitMs: number, message: string): SpiError {
  ctx.set('Retry-After', String(retryAfterS(waitMs)));
  return new SpiError('too-many-requests', message);
}

/**
 * Basic auth for SPI routes, with its limits. A (client address, username) pair with too many
 * failed logins in the window, or an address past its ceiling for a username not seen logging in
 * there, gets 429 before the credentials are even checked (so a right guess looks like a wrong
 * one); a register past its request rate, or a credential past its ceiling, gets 429. All say
 * when to retry. Every refused login is handed to `refused` (log and metrics). Sets
 * `ctx.state.merchant` on success.
 */
export function authMiddleware(opts: {
  /** The credentials in use; main.ts replaces them on SIGHUP. */
  credentials: CredentialStore;
  security: Pick<SecurityConfig, 'rateLimit' | 'registerRateLimit' | 'loginFailures'>;
  now: () => number;
  /** Told of every refused login; the app logs and counts it. */
  refused?: (refusal: LoginRefusal) => void;
}): Middleware<AppState> {
  const { rateLimit, registerRateLimit, loginFailures } = opts.security;
  const { credentials } = opts;
  const requests = rateLimit.perSecond > 0 ? new TokenBuckets({ capacity: rateLimit.burst, perSecond: rateLimit.perSecond }) : null;
  const registers =
    registerRateLimit.perSecond > 0
      ? new TokenBuckets({ capacity: registerRateLimit.burst, perSecond: registerRateLimit.perSecond, maxKeys: MAX_REGISTERS })
      : null;
  const logins = new LoginLimiter(loginFailures);

  return async (ctx, next) => {
    const address = ctx.ip;
    const refuse = (reason: LoginRefusalReason, username: string | null, waitMs?: number) =>
      opts.refused?.({
        requestId: ctx.state.requestId,
        address,
        username: username === null ? null : username.slice(0, LOGGED_USERNAME_CHARS),
        reason,
        ...(waitMs === undefined ? {} : { retryAfterS: retryAfterS(waitMs) }),
      });

    const authorization = ctx.get('authorization') || undefined;
    if (authorization === undefined) {
      // No credential presented is no login attempt: nothing is counted against the address.
      refuse('missing', null);
      throw new SpiError('unauthorized', 'missing or wrong credentials');
    }
    const presented = parseBasic(authorization);
    // A header that is not Basic counts against the address, under the empty username.
    const username = presented?.username ?? '';
    const held = logins.blocked(address, username, opts.now());
    if (held !== null) {
      refuse(held.block, presented?.username ?? null, held.waitMs);
      throw tooMany(ctx, held.waitMs, 'too many failed logins, retry later');
    }

    const principal = await credentials.authenticate(authorization);
    if (principal === null) {
      logins.failed(address, username, opts.now());
      refuse(presented === null ? 'malformed' : credentials.knows(username) ? 'wrong-password' : 'unknown-user', presented?.username ?? null);
      throw new SpiError('unauthorized', 'missing or wrong credentials');
    }
    logins.loggedIn(address, principal.username, opts.now());

    // One register looping is stopped by its own bucket, before it uses up its credential's.
    // Buckets are per credential: two merchants' registers never share one.
    const limitRegister = (register: string) => {
      const wait = registers?.take(`${principal.username}\u0000${register}`, opts.now()) ?? 0;
      if (wait > 0) throw tooMany(ctx, wait, 'too many requests from this register, retry later');
    };
    const registerId = registerIdOf(ctx);
    const paymentid = (ctx as { params?: Record<string, string | undefined> }).params?.paymentid;
    if (registerId !== undefined) limitRegister(`id:${registerId}`);
    // A register polls one payment at a time: without Register-ID, the payment stands for it.
    else if (paymentid !== undefined) limitRegister(`payment:${paymentid.slice(0, REGISTER_ID_CHARS)}`);
    // A POST names its register in the body's posid, which the SPI reads after this.
    else ctx.state.limitRegister = (posid) => limitRegister(`pos:${posid.slice(0, REGISTER_ID_CHARS)}`);

    const waitMs = requests?.take(principal.username, opts.now()) ?? 0;
    if (waitMs > 0) throw tooMany(ctx, waitMs, 'too many requests for this credential, retry later');
    ctx.state.merchant = principal.merchant;
    await next();
  };
}
