import type { Middleware } from 'koa';
import type { AppState } from './app-state';
import type { Authenticator } from './authenticator';
import { SpiError } from './spi-error';

/** Basic auth for SPI routes: sets `ctx.state.merchant`, or answers 401. */
export function authMiddleware(authenticate: Authenticator): Middleware<AppState> {
  return async (ctx, next) => {
    const merchant = await authenticate(ctx.get('authorization') || undefined);
    if (merchant === null) throw new SpiError('unauthorized', 'missing or wrong credentials');
    ctx.state.merchant = merchant;
    await next();
  };
}
