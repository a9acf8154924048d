import { problemOf } from './__fixtures__/config-problem';
import { DEV_VIEW_PUSH_SECRET, apiSchema, loadApiConfig, loadSimulatorConfig, loadWorkerConfig, simulatorSchema, workerSchema } from './index';

const problem = problemOf(loadApiConfig);
const workerProblem = problemOf(loadWorkerConfig);
const simulatorProblem = problemOf(loadSimulatorConfig);
const names = (s: { variables: readonly { name: string }[] }) => s.variables.map((v) => v.name);

test('defaults are the runtime contract’s', () => {
  const api = loadApiConfig({});
  expect(api.api).toMatchObject({ host: '127.0.0.1', port: 3000 });
  expect(api.temporal).toMatchObject({ address: '127.0.0.1:7233', namespace: 'default', taskQueue: 'payments' });
  expect(api.timers).toMatchObject({ expiryMs: 180_000, ackTimeoutMs: 180_000, lateCancelWindowMs: 1_800_000 });
  expect(api.api.credentials).toEqual([{ username: 'demo', passwords: ['demo'], merchant: 'demo' }]);
  expect(loadWorkerConfig({}).acquirerUrl).toBe('http://127.0.0.1:3100');
  expect(loadSimulatorConfig({}).simulator).toMatchObject({ port: 3100, approveDelayMs: 2000, publicUrl: 'http://127.0.0.1:3100' });
  expect(loadSimulatorConfig({ SIM_PORT: '3200' }).simulator.publicUrl).toBe('http://127.0.0.1:3200');
});

test('each config is frozen', () => {
  expect(Object.isFrozen(loadApiConfig({}).timers)).toBe(true);
  expect(Object.isFrozen(loadWorkerConfig({}).viewPush.urls)).toBe(true);
  expect(Object.isFrozen(loadSimulatorConfig({}).simulator)).toBe(true);
});

test.each([
  [{ PORT: 'abc' }, 'PORT'],
  [{ PORT: '70000' }, 'PORT'],
  [{ ACK_TIMEOUT_MS: '-5' }, 'ACK_TIMEOUT_MS'],
  [{ TEMPORAL_ADDRESS: 'localhost' }, 'TEMPORAL_ADDRESS'],
  [{ SPI_CREDENTIALS: '[{"username":"a"}]' }, 'SPI_CREDENTIALS'],
  [{ SPI_CREDENTIALS: '{' }, 'SPI_CREDENTIALS'],
  [{ MERCHANT_PAYMENT_METHODS: '{"acme":"cash"}' }, 'MERCHANT_PAYMENT_METHODS'],
  [{ LOG_LEVEL: 'loud' }, 'LOG_LEVEL'],
  [{ LOG_FORMAT: 'colourful' }, 'LOG_FORMAT'],
])('the API: a bad value stops the process with a line naming the variable: %j', (env, variable) => {
  expect(problem(env)).toMatch(new RegExp(`^${variable}: `));
});

test.each([
  [{ ACQUIRER_URL: 'not a url' }, 'ACQUIRER_URL'],
  [{ TEMPORAL_ADDRESS: 'localhost' }, 'TEMPORAL_ADDRESS'],
  [{ WORKER_METRICS_PORT: '0' }, 'WORKER_METRICS_PORT'],
  [{ MERCHANT_PAYMENT_METHODS: '{"acme":"cash"}' }, 'MERCHANT_PAYMENT_METHODS'],
  [{ LOG_LEVEL: 'loud' }, 'LOG_LEVEL'],
])('the worker: a bad value stops the process with a line naming the variable: %j', (env, variable) => {
  expect(workerProblem(env)).toMatch(new RegExp(`^${variable}: `));
});

test.each([
  [{ SIM_PORT: '70000' }, 'SIM_PORT'],
  [{ SIM_APPROVE_DELAY_MS: 'soon' }, 'SIM_APPROVE_DELAY_MS'],
  [{ SIM_PUBLIC_URL: 'phone' }, 'SIM_PUBLIC_URL'],
  [{ LOG_FORMAT: 'colourful' }, 'LOG_FORMAT'],
])('the simulator: a bad value stops the process with a line naming the variable: %j', (env, variable) => {
  expect(simulatorProblem(env)).toMatch(new RegExp(`^${variable}: `));
});

test('NODE_ENV=production: the API refuses to start without credentials, and with the dev credential', () => {
  expect(problem({ NODE_ENV: 'production' })).toMatch(/^SPI_CREDENTIALS: is required/);
  expect(problem({ NODE_ENV: 'production', SPI_CREDENTIALS: '[{"username":"demo","password":"demo","merchant":"demo"}]' })).toMatch(/dev credential/);
  const good = '[{"username":"shop","password":"s3cret-long","merchant":"acme"}]';
  expect(problem({ NODE_ENV: 'production', SPI_CREDENTIALS: good, VIEW_PUSH_SECRET: 'v'.repeat(32) })).toBeNull();
});

test('NODE_ENV=production: the worker and the simulator start without SPI_CREDENTIALS, which they never read', () => {
  expect(workerProblem({ NODE_ENV: 'production', VIEW_PUSH_SECRET: 'v'.repeat(32) })).toBeNull();
  expect(simulatorProblem({ NODE_ENV: 'production' })).toBeNull();
  // A broken value of a variable a process does not read cannot stop it.
  expect(workerProblem({ SPI_CREDENTIALS: '{', PORT: 'abc', ADMISSION_LIMIT: 'lots' })).toBeNull();
  expect(simulatorProblem({ SPI_CREDENTIALS: '{', TEMPORAL_ADDRESS: 'localhost', ACQUIRER_URL: 'nope' })).toBeNull();
});

test('each process asks only for what it uses', () => {
  expect(names(workerSchema)).not.toContain('SPI_CREDENTIALS');
  expect(names(workerSchema)).not.toContain('SPI_CREDENTIALS_FILE');
  expect(names(workerSchema)).not.toContain('ADMISSION_LIMIT');
  expect(names(simulatorSchema)).not.toContain('SPI_CREDENTIALS');
  expect(names(simulatorSchema)).not.toContain('TEMPORAL_ADDRESS');
  expect(names(apiSchema)).not.toContain('CARD_PROVIDERS');
  expect(names(apiSchema)).not.toContain('SIM_PORT');
  expect(names(apiSchema)).toEqual(expect.arrayContaining(['SPI_CREDENTIALS', 'TEMPORAL_ADDRESS', 'VIEW_PUSH_SECRET', 'ADMISSION_LIMIT']));
});

describe('the worker’s pushes of payment views to the API', () => {
  test('by default the API listens on 127.0.0.1:3001, the worker pushes there, and a view is trusted for 5 s', () => {
    expect(loadApiConfig({}).viewPush).toEqual({ host: '127.0.0.1', port: 3001, secret: DEV_VIEW_PUSH_SECRET, trustMs: 5000 });
    expect(loadWorkerConfig({}).viewPush).toEqual({ urls: ['http://127.0.0.1:3001'], secret: DEV_VIEW_PUSH_SECRET });
  });

  test('VIEW_PUSH_PORT moves both ends; VIEW_PUSH_URLS lists every API instance', () => {
    expect(loadApiConfig({ VIEW_PUSH_PORT: '4001' }).viewPush.port).toBe(4001);
    expect(loadWorkerConfig({ VIEW_PUSH_PORT: '4001' }).viewPush.urls).toEqual(['http://127.0.0.1:4001']);
    expect(loadWorkerConfig({ VIEW_PUSH_URLS: 'http://api-1:3001, http://api-2:3001/' }).viewPush.urls).toEqual(['http://api-1:3001', 'http://api-2:3001']);
  });

  test('pushes off: VIEW_PUSH_PORT=0 on the API, VIEW_PUSH_URLS empty on the worker; no secret needed then, even in production', () => {
    expect(loadApiConfig({ VIEW_PUSH_PORT: '0' }).viewPush).toMatchObject({ port: 0 });
    expect(loadWorkerConfig({ VIEW_PUSH_URLS: '' }).viewPush).toMatchObject({ urls: [] });
    expect(loadWorkerConfig({ VIEW_PUSH_PORT: '0' }).viewPush).toMatchObject({ urls: [] });
    expect(problem({ NODE_ENV: 'production', SPI_CREDENTIALS: '[{"username":"shop","password":"s3cret-long","merchant":"acme"}]', VIEW_PUSH_PORT: '0' })).toBeNull();
    expect(workerProblem({ NODE_ENV: 'production', VIEW_PUSH_URLS: '' })).toBeNull();
  });

  const production = { NODE_ENV: 'production', SPI_CREDENTIALS: '[{"username":"a","password":"b","merchant":"c"}]' };
  test.each([
    [production, /^VIEW_PUSH_SECRET: is required/],
    [{ ...production, VIEW_PUSH_SECRET: DEV_VIEW_PUSH_SECRET }, /development secret/],
    [{ VIEW_PUSH_SECRET: 'short' }, /^VIEW_PUSH_SECRET: must be at least 32/],
  ])('refused by the API and the worker alike: %j', (env, why) => {
    expect(problem(env)).toMatch(why);
    expect(workerProblem(env)).toMatch(why);
  });

  test.each([
    [{ VIEW_PUSH_URLS: 'api-1:3001' }, /^VIEW_PUSH_URLS: must be a URL list/],
  ])('refused by the worker: %j', (env, why) => {
    expect(workerProblem(env)).toMatch(why);
  });

  test.each([[{ VIEW_TRUST_MS: '-1' }, /^VIEW_TRUST_MS: /]])('refused by the API: %j', (env, why) => {
    expect(problem(env)).toMatch(why);
  });
});

test('LOG_FORMAT: auto by default (pretty on a terminal), json with NODE_ENV=production, as given otherwise', () => {
  const production = { NODE_ENV: 'production', SPI_CREDENTIALS: '[{"username":"a","password":"b","merchant":"c"}]', VIEW_PUSH_SECRET: 's'.repeat(32) };
  expect(loadApiConfig({}).logFormat).toBe('auto');
  expect(loadApiConfig(production).logFormat).toBe('json');
  expect(loadApiConfig({ ...production, LOG_FORMAT: 'pretty' }).logFormat).toBe('pretty');
  expect(loadApiConfig({ LOG_FORMAT: 'json' }).logFormat).toBe('json');
  expect(loadSimulatorConfig({ NODE_ENV: 'production' }).logFormat).toBe('json');
});

test('LOG_LEVEL: info by default, debug when NODE_ENV=development, as given otherwise; worker metrics on 127.0.0.1:9464', () => {
  expect(loadApiConfig({}).logLevel).toBe('info');
  expect(loadApiConfig({ NODE_ENV: 'development' }).logLevel).toBe('debug');
  expect(loadWorkerConfig({ NODE_ENV: 'development', LOG_LEVEL: 'warn' }).logLevel).toBe('warn');
  expect(loadWorkerConfig({}).worker).toMatchObject({ metricsHost: '127.0.0.1', metricsPort: 9464, workflowStackTraceLimit: 0, stickyTimeoutMs: 1000 });
  expect(() => loadWorkerConfig({ WORKFLOW_STACK_TRACE_LIMIT: '101' })).toThrow(/^WORKFLOW_STACK_TRACE_LIMIT: /);
});
