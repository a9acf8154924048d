// Each process asks only for the configuration it uses: in production the worker and the
// simulator start without the API's SPI_CREDENTIALS, and only the API refuses to start without
// them. Through the real processes, with NODE_ENV=production as an operator deploys them.
import { execFile } from 'node:child_process';
import * as path from 'node:path';
import { Register, countEvents, ledger, paymentRequest } from './support/register';
import { System, eventually } from './support/system';

const ROOT = path.resolve(__dirname, '..', '..');
const SHOP = { username: 'shop-1', password: 'a-long-production-password' };

let system: System;

beforeAll(async () => {
  // No SPI_CREDENTIALS and no SPI_CREDENTIALS_FILE: only the view-push secret the worker signs with.
  system = await System.start({ apps: ['simulator', 'worker'], env: { NODE_ENV: 'production', VIEW_PUSH_SECRET: 'p'.repeat(40) } });
});
afterAll(() => system?.stop());

/** Runs an app's main.js with `env` until it exits; its exit code and stderr. */
function run(app: string, env: Record<string, string>): Promise<{ code: number | null; stderr: string }> {
  return new Promise((resolve) => {
    const child = execFile(process.execPath, [path.join(ROOT, 'apps', app, 'dist', 'main.js')], { env, timeout: 20_000 }, (_err, _stdout, stderr) =>
      resolve({ code: child.exitCode, stderr }),
    );
  });
}

test('NODE_ENV=production without SPI_CREDENTIALS → the simulator and the worker run; the API alone stops, with one line naming the variable', async () => {
  expect((await fetch(`${system.simUrl}/healthz`)).ok).toBe(true);
  // The worker serves its metrics once it polls Temporal: past its configuration, and running.
  const metrics = await eventually(() => fetch(system.workerMetricsUrl).then((r) => r.text()), (text) => /^temporal_worker_task_slots_available\{/m.test(text), 30_000, 200);
  expect(metrics).toMatch(/^temporal_worker_task_slots_available\{/m);

  const api = await run('api', system.env);
  expect(api.code).toBe(78);
  expect(api.stderr.trim()).toBe('configuration error: SPI_CREDENTIALS: is required when NODE_ENV=production (the dev credential is refused), or SPI_CREDENTIALS_FILE');
});

test('then the API with its credentials → a sale completes through that worker and simulator, captured once', async () => {
  system.env.SPI_CREDENTIALS = JSON.stringify([{ ...SHOP, merchant: 'acme' }]);
  await system.startApp('api');
  await system.waitReady();
  const pos = new Register(system.apiUrl, SHOP);
  const id = await pos.start(paymentRequest('120.00'));
  await pos.until(id, ['ready_to_complete']);
  expect((await pos.put(id, 'completed')).status).toBe(200);
  await pos.until(id, ['completed']);
  const entry = await ledger(system.simUrl, id);
  expect(entry?.capturedMinor).toBe(12000);
  expect(countEvents(entry, 'captured')).toBe(1);
});
