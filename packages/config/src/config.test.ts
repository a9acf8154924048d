import { ConfigError, DEV_VIEW_PUSH_SECRET, loadConfig } from './index';

const problem = (env: Record<string, string>) => {
  try {
    loadConfig(env);
  } catch (err) {
    if (err instanceof ConfigError) return err.message;
    throw err;
  }
  return null;
};

test('defaults are the runtime contract’s', () => {
  const c = loadConfig({});
  expect(c.api).toMatchObject({ host: '127.0.0.1', port: 3000 });
  expect(c.temporal).toMatchObject({ address: '127.0.0.1:7233', namespace: 'default', taskQueue: 'payments', uiPort: 8233 });
  expect(c.timers).toMatchObject({ expiryMs: 180_000, ackTimeoutMs: 180_000, lateCancelWindowMs: 1_800_000 });
  expect(c.acquirerUrl).toBe('http://127.0.0.1:3100');
  expect(c.simulator).toMatchObject({ port: 3100, approveDelayMs: 2000 });
  expect(c.api.credentials).toEqual([{ username: 'demo', passwords: ['demo'], merchant: 'demo' }]);
});

test('the config is frozen', () => {
  const c = loadConfig({});
  expect(Object.isFrozen(c.timers)).toBe(true);
});

test.each([
  [{ PORT: 'abc' }, 'PORT'],
  [{ PORT: '70000' }, 'PORT'],
  [{ ACK_TIMEOUT_MS: '-5' }, 'ACK_TIMEOUT_MS'],
  [{ TEMPORAL_ADDRESS: 'localhost' }, 'TEMPORAL_ADDRESS'],
  [{ ACQUIRER_URL: 'not a url' }, 'ACQUIRER_URL'],
  [{ SPI_CREDENTIALS: '[{"username":"a"}]' }, 'SPI_CREDENTIALS'],
  [{ SPI_CREDENTIALS: '{' }, 'SPI_CREDENTIALS'],
  [{ MERCHANT_PAYMENT_METHODS: '{"acme":"cash"}' }, 'MERCHANT_PAYMENT_METHODS'],
  [{ LOG_LEVEL: 'loud' }, 'LOG_LEVEL'],
  [{ LOG_FORMAT: 'colourful' }, 'LOG_FORMAT'],
  [{ WORKER_METRICS_PORT: '0' }, 'WORKER_METRICS_PORT'],
  [{ WORKFLOW_STACK_TRACE_LIMIT: '101' }, 'WORKFLOW_STACK_TRACE_LIMIT'],
])('a bad value stops the process with a line naming the variable: %j', (env, variable) => {
  expect(problem(env)).toMatch(new RegExp(`^${variable}: `));
});

test('NODE_ENV=production refuses to start without credentials, and with the dev credential', () => {
  expect(problem({ NODE_ENV: 'production' })).toMatch(/^SPI_CREDENTIALS: is required/);
  expect(problem({ NODE_ENV: 'production', SPI_CREDENTIALS: '[{"username":"demo","password":"demo","merchant":"demo"}]' })).toMatch(
    /dev credential/,
  );
  const good = '[{"username":"shop","password":"s3cret-long","merchant":"acme"}]';
  expect(problem({ NODE_ENV: 'production', SPI_CREDENTIALS: good, VIEW_PUSH_SECRET: 'v'.repeat(32) })).toBeNull();
});

describe('the worker’s pushes of payment views to the API', () => {
  test('by default the API listens on 127.0.0.1:3001, the worker pushes there, and a view is trusted for 5 s', () => {
    expect(loadConfig({}).viewPush).toEqual({ host: '127.0.0.1', port: 3001, urls: ['http://127.0.0.1:3001'], secret: DEV_VIEW_PUSH_SECRET, trustMs: 5000 });
  });

  test('VIEW_PUSH_PORT moves both ends; VIEW_PUSH_URLS lists every API instance', () => {
    expect(loadConfig({ VIEW_PUSH_PORT: '4001' }).viewPush.urls).toEqual(['http://127.0.0.1:4001']);
    expect(loadConfig({ VIEW_PUSH_URLS: 'http://api-1:3001, http://api-2:3001/' }).viewPush.urls).toEqual(['http://api-1:3001', 'http://api-2:3001']);
  });

  test('pushes off: VIEW_PUSH_PORT=0 and VIEW_PUSH_URLS empty; no secret needed then, even in production', () => {
    const off = { VIEW_PUSH_PORT: '0', VIEW_PUSH_URLS: '' };
    expect(loadConfig(off).viewPush).toMatchObject({ port: 0, urls: [] });
    expect(problem({ NODE_ENV: 'production', SPI_CREDENTIALS: '[{"username":"shop","password":"s3cret-long","merchant":"acme"}]', ...off })).toBeNull();
  });

  test.each([
    [{ NODE_ENV: 'production', SPI_CREDENTIALS: '[{"username":"a","password":"b","merchant":"c"}]' }, /^VIEW_PUSH_SECRET: is required/],
    [{ NODE_ENV: 'production', SPI_CREDENTIALS: '[{"username":"a","password":"b","merchant":"c"}]', VIEW_PUSH_SECRET: DEV_VIEW_PUSH_SECRET }, /development secret/],
    [{ VIEW_PUSH_SECRET: 'short' }, /^VIEW_PUSH_SECRET: must be at least 32/],
    [{ VIEW_PUSH_URLS: 'api-1:3001' }, /^VIEW_PUSH_URLS: must be a URL list/],
    [{ VIEW_TRUST_MS: '-1' }, /^VIEW_TRUST_MS: /],
  ])('refused: %j', (env, why) => {
    expect(problem(env)).toMatch(why);
  });
});

test('LOG_FORMAT: auto by default (pretty on a terminal), json with NODE_ENV=production, as given otherwise', () => {
  const production = { NODE_ENV: 'production', SPI_CREDENTIALS: '[{"username":"a","password":"b","merchant":"c"}]', VIEW_PUSH_SECRET: 's'.repeat(32) };
  expect(loadConfig({}).logFormat).toBe('auto');
  expect(loadConfig(production).logFormat).toBe('json');
  expect(loadConfig({ ...production, LOG_FORMAT: 'pretty' }).logFormat).toBe('pretty');
  expect(loadConfig({ LOG_FORMAT: 'json' }).logFormat).toBe('json');
});

test('LOG_LEVEL: info by default, debug when NODE_ENV=development, as given otherwise; worker metrics on 127.0.0.1:9464', () => {
  expect(loadConfig({}).logLevel).toBe('info');
  expect(loadConfig({ NODE_ENV: 'development' }).logLevel).toBe('debug');
  expect(loadConfig({ NODE_ENV: 'development', LOG_LEVEL: 'warn' }).logLevel).toBe('warn');
  expect(loadConfig({}).worker).toEqual({ metricsHost: '127.0.0.1', metricsPort: 9464, workflowStackTraceLimit: 0 });
});
