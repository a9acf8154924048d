import { Launcher, topology } from '../launcher/index.cjs';

const external = { mode: 'external', address: '127.0.0.1:7233' } as const;
const fixed = { simulator: 3100, api: 3000, viewPush: 3011, workerMetrics: 9464 };

test('topology → the simulator, the workers, the APIs in start order; the second of a kind numbered, or every one with numbered', () => {
  expect(topology({ workers: 2 }).map((i) => i.name)).toEqual(['simulator', 'worker', 'worker-2', 'api']);
  expect(topology({ workers: 2, apis: 2, numbered: true }).map((i) => i.name)).toEqual(['simulator', 'worker-1', 'worker-2', 'api-1', 'api-2']);
  expect(topology({ simulator: false, apis: 0 }).map((i) => `${i.name}:${i.app}:${i.index}`)).toEqual(['worker:worker:0']);
});

test('two workers and two APIs on fixed ports → each worker its own metrics port, pushing to every API; each API its own ports', async () => {
  const launcher = await Launcher.prepare({ temporal: external, workers: 2, apis: 2, numbered: true, ports: fixed });
  expect(launcher.instanceEnv('worker-1')).toMatchObject({ WORKER_METRICS_PORT: '9464', VIEW_PUSH_URLS: 'http://127.0.0.1:3011,http://127.0.0.1:3012' });
  expect(launcher.instanceEnv('worker-2')).toMatchObject({ WORKER_METRICS_PORT: '9465', VIEW_PUSH_URLS: 'http://127.0.0.1:3011,http://127.0.0.1:3012' });
  expect(launcher.instanceEnv('api-2')).toMatchObject({ PORT: '3001', VIEW_PUSH_PORT: '3012' });
  expect(launcher.instanceEnv('simulator')).toMatchObject({ SIM_PORT: '3100', TEMPORAL_ADDRESS: '127.0.0.1:7233' });
  expect(launcher.instanceEnv('simulator')).not.toHaveProperty('PORT');
  expect(launcher.apiUrls).toEqual(['http://127.0.0.1:3000', 'http://127.0.0.1:3001']);
  expect(launcher.workerMetricsUrl('worker-2')).toBe('http://127.0.0.1:9465/metrics');
});

test('free ports → all different; the caller’s env wins over what the topology gives a process, and a change to env applies to later starts', async () => {
  const launcher = await Launcher.prepare({ temporal: external, workers: 2, env: { VIEW_PUSH_URLS: 'http://127.0.0.1:9', SIM_PORT: '4444' } });
  const ports = ['worker', 'worker-2'].map((n) => launcher.instanceEnv(n).WORKER_METRICS_PORT);
  ports.push(launcher.instanceEnv('api').PORT, launcher.instanceEnv('api').VIEW_PUSH_PORT);
  expect(new Set(ports).size).toBe(4);
  expect(launcher.instanceEnv('worker-2').VIEW_PUSH_URLS).toBe('http://127.0.0.1:9');
  expect(launcher.simUrl).toBe('http://127.0.0.1:4444');
  launcher.env.SPI_CREDENTIALS = '[]';
  expect(launcher.instanceEnv('api').SPI_CREDENTIALS).toBe('[]');
});

test('an instance the topology does not have → startApp names the ones it has', async () => {
  const launcher = await Launcher.prepare({ temporal: external });
  await expect(launcher.startApp('worker-2')).rejects.toThrow('no instance worker-2 in this system (simulator, worker, api)');
});

test('the simulator as the acquirer → it sends its events to the first API with the API’s secret, and the workers wait for them; another acquirer, no API or ACQUIRER_CALLBACKS=false → none of it', async () => {
  const launcher = await Launcher.prepare({ temporal: external, workers: 2, apis: 2, numbered: true, ports: fixed });
  const sim = launcher.instanceEnv('simulator');
  expect(sim.SIM_ACQUIRER_CALLBACK_URL).toBe('http://127.0.0.1:3000/callbacks/acquirer');
  expect(sim.SIM_ACQUIRER_CALLBACK_SECRET).toMatch(/^[0-9a-f]{48}$/);
  expect(launcher.instanceEnv('api-2').ACQUIRER_CALLBACK_SECRET).toBe(sim.SIM_ACQUIRER_CALLBACK_SECRET);
  expect(launcher.instanceEnv('worker-2').ACQUIRER_CALLBACKS).toBe('true');
  const again = await Launcher.prepare({ temporal: external, ports: fixed });
  expect(again.instanceEnv('api').ACQUIRER_CALLBACK_SECRET).not.toBe(sim.SIM_ACQUIRER_CALLBACK_SECRET);

  const other = await Launcher.prepare({ temporal: external, baseEnv: { ACQUIRER_URL: 'https://acquirer.example' } });
  expect(other.instanceEnv('worker')).not.toHaveProperty('ACQUIRER_CALLBACKS');
  const noApi = await Launcher.prepare({ temporal: external, apis: 0 });
  expect(noApi.instanceEnv('worker')).not.toHaveProperty('ACQUIRER_CALLBACKS');
  const off = await Launcher.prepare({ temporal: external, env: { ACQUIRER_CALLBACKS: 'false' } });
  expect(off.instanceEnv('worker').ACQUIRER_CALLBACKS).toBe('false');
  expect(off.instanceEnv('simulator')).not.toHaveProperty('SIM_ACQUIRER_CALLBACK_URL');
  expect(off.instanceEnv('api')).not.toHaveProperty('ACQUIRER_CALLBACK_SECRET');
});
