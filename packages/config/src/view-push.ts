import { ConfigError, int, str, url } from './env';

type Env = Record<string, string | undefined>;

/** The path of the API's push listener that takes a batch of views. */
export const VIEW_PUSH_PATH = '/views';

/** The secret npm start, the tests and the bench share; refused when NODE_ENV=production. */
export const DEV_VIEW_PUSH_SECRET = 'dev-view-push-secret-not-for-production';

/**
 * How the worker hands each new view of a payment to the API, so that a register's poll is
 * answered from the API's memory instead of a Temporal query (apps/worker/src/view-pusher.ts,
 * apps/api/src/views/payment-views.ts). The API listens for the pushes on a port of its own, meant to
 * be reachable by the workers only; every push is signed with the shared secret.
 */
export function viewPushConfig(env: Env, production: boolean) {
  /** The API's push listener; 0 turns pushes off (every poll is then a query). */
  const port = int(env, 'VIEW_PUSH_PORT', 3001, { max: 65535 });
  const rawUrls = env.VIEW_PUSH_URLS;
  /** Where the worker sends views: every API instance's push listener. Empty: no pushes. */
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
  const enabled = port !== 0 || urls.length > 0;
  const secret = str(env, 'VIEW_PUSH_SECRET', production ? '' : DEV_VIEW_PUSH_SECRET);
  if (enabled && production && secret === '') {
    throw new ConfigError('VIEW_PUSH_SECRET', 'is required when NODE_ENV=production (or turn pushes off: VIEW_PUSH_PORT=0, VIEW_PUSH_URLS=)');
  }
  if (enabled && production && secret === DEV_VIEW_PUSH_SECRET) {
    throw new ConfigError('VIEW_PUSH_SECRET', 'is the development secret, refused when NODE_ENV=production');
  }
  if (enabled && secret.length < 32) throw new ConfigError('VIEW_PUSH_SECRET', 'must be at least 32 characters');
  return {
    host: str(env, 'VIEW_PUSH_HOST', '127.0.0.1'),
    port,
    urls,
    secret,
    /**
     * How long the API answers from a pushed view before it checks it with a query: about the
     * bound on how stale a poll can be if a push was lost. 0: every poll is a query. 5 s: a
     * payment that changes more often is never queried, and under load (when steps take
     * seconds) the checks do not add to what Temporal must do.
     */
    trustMs: int(env, 'VIEW_TRUST_MS', 5000, { max: 60_000 }),
  };
}

export type ViewPushConfig = ReturnType<typeof viewPushConfig>;
