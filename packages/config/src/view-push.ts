import { ConfigError, url } from './env';
import { definePart } from './part';
import { described, text, wholeNumber, type Env } from './variable';

/** The path of the API's push listener that takes a batch of views. */
export const VIEW_PUSH_PATH = '/views';

/** The secret npm start, the tests and the bench share; refused when NODE_ENV=production. */
export const DEV_VIEW_PUSH_SECRET = 'dev-view-push-secret-not-for-production';

export const VIEW_PUSH_HOST = text({ name: 'VIEW_PUSH_HOST', default: '127.0.0.1', meaning: 'the address of the API’s listener for the workers’ view pushes' });
export const VIEW_PUSH_PORT = wholeNumber({
  name: 'VIEW_PUSH_PORT',
  default: 3001,
  max: 65535,
  defaultText: '3001 (npm run cluster: 3011, 3012)',
  meaning: 'the port of the API’s view-push listener, and the worker’s default push target; 0 turns the listener off',
});
export const VIEW_PUSH_URLS = described({
  name: 'VIEW_PUSH_URLS',
  rule: 'comma-separated http(s) URLs, or empty',
  defaultText: 'http://127.0.0.1:<VIEW_PUSH_PORT> (none when that is 0)',
  meaning: 'where a worker pushes views: every API instance’s listener; empty: no pushes',
});
export const VIEW_PUSH_SECRET = described({
  name: 'VIEW_PUSH_SECRET',
  rule: 'text, 32 characters or more',
  defaultText: 'a development secret (required with NODE_ENV=production)',
  secret: true,
  meaning: 'HMAC secret shared by the API’s listener and the workers that push to it',
});
export const VIEW_TRUST_MS = wholeNumber({
  name: 'VIEW_TRUST_MS',
  default: 5000,
  max: 60_000,
  unit: 'ms',
  meaning: 'how long a pushed view answers polls before a background query checks it; 0: every poll is a query',
});

/** The shared secret, for a side that pushes or listens (`enabled`); production refuses none and the development one. */
function pushSecret(env: Env, production: boolean, enabled: boolean): string {
  const secret = VIEW_PUSH_SECRET.read(env, production ? '' : DEV_VIEW_PUSH_SECRET);
  if (enabled && production && secret === '') {
    throw new ConfigError('VIEW_PUSH_SECRET', 'is required when NODE_ENV=production (or turn pushes off: VIEW_PUSH_PORT=0, VIEW_PUSH_URLS=)');
  }
  if (enabled && production && secret === DEV_VIEW_PUSH_SECRET) {
    throw new ConfigError('VIEW_PUSH_SECRET', 'is the development secret, refused when NODE_ENV=production');
  }
  if (enabled && secret.length < 32) throw new ConfigError('VIEW_PUSH_SECRET', 'must be at least 32 characters');
  return secret;
}

/**
 * The API's side of the worker's pushes of each payment's view (apps/api/src/views): a listener on
 * a port of its own, meant to be reachable by the workers only, taking only signed pushes, so that
 * a register's poll is answered from the API's memory instead of a Temporal query.
 */
export const viewPushListener = definePart('view push listener', [VIEW_PUSH_HOST, VIEW_PUSH_PORT, VIEW_PUSH_SECRET, VIEW_TRUST_MS], (env, { production }) => {
  /** 0 turns the listener off (every poll is then a query). */
  const port = VIEW_PUSH_PORT.read(env);
  return {
    host: VIEW_PUSH_HOST.read(env),
    port,
    secret: pushSecret(env, production, port !== 0),
    /**
     * How long the API answers from a pushed view before it checks it with a query: about the
     * bound on how stale a poll can be if a push was lost. 0: every poll is a query. 5 s: a
     * payment that changes more often is never queried, and under load (when steps take
     * seconds) the checks do not add to what Temporal must do.
     */
    trustMs: VIEW_TRUST_MS.read(env),
  };
});

/** The worker's side (apps/worker/src/view-pusher.ts): every API instance's listener, and the secret it signs with. */
export const viewPushSender = definePart('view push sender', [VIEW_PUSH_URLS, VIEW_PUSH_PORT, VIEW_PUSH_SECRET], (env, { production }) => {
  const port = VIEW_PUSH_PORT.read(env);
  const rawUrls = env.VIEW_PUSH_URLS;
  /** Where the worker sends views. Empty: no pushes. */
  const urls =
    rawUrls === undefined
      ? port === 0
        ? []
        : [`http://127.0.0.1:${port}`]
      : rawUrls
          .split(',')
          .map((u) => u.trim())
          .filter((u) => u !== '')
          .map((u) => {
            if (!/^https?:\/\//i.test(u)) throw new ConfigError('VIEW_PUSH_URLS', `must be a URL list (http://host:port,…), got ${JSON.stringify(u)}`);
            return url({ VIEW_PUSH_URLS: u }, 'VIEW_PUSH_URLS', '');
          });
  return { urls, secret: pushSecret(env, production, urls.length > 0) };
});

export type ViewPushListenerConfig = ReturnType<typeof viewPushListener.load>;
export type ViewPushSenderConfig = ReturnType<typeof viewPushSender.load>;
