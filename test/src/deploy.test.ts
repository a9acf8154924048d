// The container files can't be run here (no Docker engine on these machines): this checks what
// can be checked without one — the compose file parses and hangs together, each app's target of
// the Dockerfile runs what the build produces as an unprivileged user — and runs the search-attribute script, the
// one piece of the stack that talks to Temporal, against a real server.
import { execFile } from 'node:child_process';
import { randomUUID } from 'node:crypto';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { promisify } from 'node:util';
import { parse } from 'yaml';

const ROOT = path.resolve(__dirname, '..', '..');
const DEPLOY = path.join(ROOT, 'deploy');
const APPS = ['api', 'worker', 'simulator'] as const;
const run = promisify(execFile);

interface Service {
  image?: string;
  build?: { context: string; dockerfile?: string; target?: string; args?: Record<string, string> };
  environment?: Record<string, string>;
  depends_on?: Record<string, { condition: string }> | string[];
  volumes?: string[];
  ports?: string[];
  entrypoint?: string[];
}
const compose = parse(fs.readFileSync(path.join(DEPLOY, 'compose.yaml'), 'utf8'), { merge: true }) as { services: Record<string, Service> };
const services = compose.services;

describe('deploy/compose.yaml', () => {
  test('has Temporal on PostgreSQL, its schema and namespace setup, its UI, and the three apps', () => {
    expect(Object.keys(services).sort()).toEqual(['api', 'postgresql', 'simulator', 'temporal', 'temporal-schema', 'temporal-setup', 'temporal-ui', 'worker']);
    expect(services.temporal!.image).toMatch(/^temporalio\/server:1\.29\.1$/);
    expect(services.temporal!.environment).toMatchObject({ POSTGRES_HOST: 'postgresql', NUM_HISTORY_SHARDS: '${NUM_HISTORY_SHARDS:-4}' });
    expect(services.postgresql!.image).toBe('postgres:15');
  });

  test('Temporal runs the one server config and schema script that `npm run cluster` runs and tests', () => {
    const temporal = services.temporal!;
    const [source, target] = temporal.volumes![0]!.split(':');
    expect(path.resolve(DEPLOY, source!)).toBe(path.join(DEPLOY, 'temporal'));
    const command = temporal.entrypoint!.join(' ');
    expect(command).toContain(`--root ${target} --config config --env payments`);
    expect(fs.existsSync(path.join(DEPLOY, 'temporal', 'config', 'payments.yaml'))).toBe(true);
    expect(temporal.environment!.TEMPORAL_DYNAMIC_CONFIG_FILE).toBe(`${target}/dynamicconfig/payments.yaml`);
    const schema = services['temporal-schema']!;
    expect(schema.volumes!.map((v) => path.resolve(DEPLOY, v.split(':')[0]!))).toEqual([path.join(DEPLOY, 'temporal', 'setup-schema.sh')]);
    expect(services.temporal!.depends_on).toMatchObject({ 'temporal-schema': { condition: 'service_completed_successfully' } });
  });

  test('every app is built from its target of the root Dockerfile, with APP naming the same app', () => {
    for (const app of APPS) {
      const build = services[app]!.build!;
      expect(path.resolve(DEPLOY, build.context)).toBe(ROOT);
      expect(build.dockerfile ?? 'Dockerfile').toBe('Dockerfile');
      expect(build.target).toBe(app);
      expect(build.args).toEqual({ APP: app });
    }
  });

  test('the API and the worker reach Temporal, the acquirer and each other by service name, with production settings', () => {
    for (const app of ['api', 'worker'] as const) {
      const env = services[app]!.environment!;
      expect(env).toMatchObject({ TEMPORAL_ADDRESS: 'temporal:7233', NODE_ENV: 'production' });
      expect(env.VIEW_PUSH_SECRET).toMatch(/^\$\{VIEW_PUSH_SECRET:\?/); // required from the caller, no default
      expect(services[app]!.depends_on).toMatchObject({ 'temporal-setup': { condition: 'service_completed_successfully' } });
    }
    expect(services.worker!.environment).toMatchObject({ ACQUIRER_URL: 'http://simulator:3100', VIEW_PUSH_URLS: 'http://api:3001' });
    // Only the API reads the registers' credentials: the worker and the simulator are not given them.
    expect(services.api!.environment!.SPI_CREDENTIALS).toMatch(/^\$\{SPI_CREDENTIALS:\?/);
    expect(services.worker!.environment).not.toHaveProperty('SPI_CREDENTIALS');
    expect(services.simulator!.environment).not.toHaveProperty('SPI_CREDENTIALS');
    expect(services.simulator!.environment).toMatchObject({ NODE_ENV: 'production' });
    expect(services.api!.environment).toMatchObject({ HOST: '0.0.0.0', PORT: '3000' });
    expect(services.api!.ports).toEqual(['3000:3000']);
  });

  test('temporal-setup mounts the search attributes file and the script that exist in the repository', () => {
    const setup = services['temporal-setup']!;
    const mounts = (setup.volumes ?? []).map((v) => v.split(':'));
    for (const [source] of mounts) expect(fs.existsSync(path.resolve(DEPLOY, source!))).toBe(true);
    expect(mounts.map(([s]) => path.resolve(DEPLOY, s!))).toContain(path.join(ROOT, 'temporal', 'search-attributes.json'));
    expect(setup.environment!.SEARCH_ATTRIBUTES_FILE).toBe('/etc/payments/search-attributes.json');
  });
});

describe('Dockerfile', () => {
  const text = fs.readFileSync(path.join(ROOT, 'Dockerfile'), 'utf8');
  /** Each stage's text by its name (`FROM … AS name`). */
  const stages = new Map(
    text
      .split(/^FROM /m)
      .slice(1)
      .map((stage) => [/^\S+ AS (\S+)$/m.exec(stage)?.[1] ?? '', stage]),
  );

  test('prunes, installs and builds the one app named by APP: turbo prune of it, npm ci on the pruned lock file, a build of it and its dependencies', () => {
    expect([...stages.keys()]).toEqual(['prune', 'build', 'runtime', ...APPS]);
    expect(stages.get('prune')).toContain('turbo prune "@payments/${APP}" --docker');
    const build = stages.get('build')!;
    expect(build).toMatch(/RUN npm ci\b/);
    expect(build).toContain('turbo run build "--filter=@payments/${APP}..."');
    expect(build).toContain('npm prune --omit=dev');
    // turbo prune leaves tsconfig.base.json out; every package's tsconfig extends it.
    expect(build).toContain('COPY tsconfig.base.json ./');
    expect(stages.get('runtime')).toMatch(/^USER node$/m);
  });

  test.each(APPS)('the %s target runs its built entry point as the unprivileged node user, with a health check', (app) => {
    const stage = stages.get(app)!;
    expect(stage.startsWith(`runtime AS ${app}\n`)).toBe(true);
    // A target built with another APP has no entry point of its own and must stop the build.
    expect(stage).toContain(`RUN test -f apps/${app}/dist/main.js ||`);
    const users = [...stage.matchAll(/^USER (\S+)$/gm)].map((m) => m[1]);
    expect(users.at(-1) ?? 'node').toBe('node'); // the runtime stage's, unless the target switches back to it
    const cmd = /^CMD \["node", "([^"]+)"\]$/m.exec(stage)?.[1];
    expect(cmd).toBe(`apps/${app}/dist/main.js`);
    expect(fs.existsSync(path.join(ROOT, cmd!))).toBe(true); // what `npm run build` produces
    expect(stage).toMatch(/^HEALTHCHECK /m);
  });

  test('is the only Dockerfile: no app keeps one of its own', () => {
    for (const app of APPS) expect(fs.existsSync(path.join(ROOT, 'apps', app, 'Dockerfile'))).toBe(false);
  });

  test('the pinned turbo is the repository’s', () => {
    const pinned = /turbo@([0-9.]+)/.exec(text)?.[1];
    const installed = (JSON.parse(fs.readFileSync(require.resolve('turbo/package.json'), 'utf8')) as { version: string }).version;
    expect(pinned).toBe(installed);
  });
});

test('.dockerignore keeps node_modules, build output and local data out of the build context', () => {
  const ignored = fs.readFileSync(path.join(ROOT, '.dockerignore'), 'utf8').split('\n');
  for (const entry of ['**/node_modules', '**/dist', '.data', '.git']) expect(ignored).toContain(entry);
});

describe('deploy/temporal/register-search-attributes.sh against a real Temporal', () => {
  const cli = process.env.TEMPORAL_CLI;
  const address = process.env.TEMPORAL_TEST_ADDRESS;
  const script = path.join(DEPLOY, 'temporal', 'register-search-attributes.sh');
  const namespace = `deploy-${randomUUID().slice(0, 8)}`;
  const env = { ...process.env, TEMPORAL_ADDRESS: address, TEMPORAL_NAMESPACE: namespace, TEMPORAL_CLI: cli, SEARCH_ATTRIBUTES_FILE: path.join(ROOT, 'temporal', 'search-attributes.json') };

  test('registers every attribute of temporal/search-attributes.json in a fresh namespace, and is a no-op the second time', async () => {
    if (!cli) throw new Error('TEMPORAL_CLI is not set (npm test sets it)');
    await run(cli, ['operator', 'namespace', 'create', '--namespace', namespace, '--address', address!]);
    const first = await run('sh', [script], { env });
    const wanted = JSON.parse(fs.readFileSync(env.SEARCH_ATTRIBUTES_FILE, 'utf8')) as Record<string, string>;
    for (const [name, type] of Object.entries(wanted)) expect(first.stdout).toContain(`search attribute ${name}: registered as ${type}`);

    const listed = (await run(cli, ['operator', 'search-attribute', 'list', '--namespace', namespace, '--address', address!])).stdout;
    for (const [name, type] of Object.entries(wanted)) expect(listed).toMatch(new RegExp(`\\b${name}\\s+${type}\\b`));

    const second = await run('sh', [script], { env });
    expect(second.stdout).not.toContain('registered as');
    expect(second.stdout.match(/already registered/g)).toHaveLength(Object.keys(wanted).length);
  });
});
