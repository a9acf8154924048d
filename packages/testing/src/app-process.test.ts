import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { AppProcess, appEntry, REPO_ROOT } from '../launcher/index.cjs';
import { freePort } from '../launcher/ports.cjs';

const ENTRY = path.join(__dirname, '__fixtures__', 'tiny-app.mjs');
let dir: string;

beforeEach(() => {
  dir = fs.mkdtempSync(path.join(os.tmpdir(), 'app-process-'));
});
afterEach(() => fs.rmSync(dir, { recursive: true, force: true }));

async function tinyApp(env: Record<string, string> = {}) {
  const port = await freePort();
  const logFile = path.join(dir, 'logs', 'tiny.log');
  const options = { name: 'tiny', entry: ENTRY, logFile, env: { PATH: process.env.PATH ?? '', PORT: String(port), ...env } };
  return { port, logFile, options };
}

test('start with a health URL → resolves once it answers; its output is in the log file', async () => {
  const { port, logFile, options } = await tinyApp();
  const app = await AppProcess.start({ ...options, healthUrl: `http://127.0.0.1:${port}/healthz` });
  try {
    expect(app.running).toBe(true);
    expect((await fetch(`http://127.0.0.1:${port}/healthz`)).status).toBe(200);
    expect(fs.readFileSync(logFile, 'utf8')).toContain(`tiny-app starting on ${port}`);
  } finally {
    await app.stop();
  }
  expect(app.running).toBe(false);
});

test('a process that dies while starting → start rejects at once, naming the exit code and the log', async () => {
  const { port, logFile, options } = await tinyApp({ EXIT_AT_START: '3' });
  const started = Date.now();
  await expect(AppProcess.start({ ...options, healthUrl: `http://127.0.0.1:${port}/healthz`, healthTimeoutMs: 20_000 })).rejects.toThrow(
    `tiny exited with 3 while starting; see ${logFile}`,
  );
  expect(Date.now() - started).toBeLessThan(10_000);
});

test('a health URL that never answers → start rejects after its timeout, naming the URL', async () => {
  const { options } = await tinyApp();
  const elsewhere = await freePort();
  await expect(AppProcess.start({ ...options, healthUrl: `http://127.0.0.1:${elsewhere}/healthz`, healthTimeoutMs: 500 })).rejects.toThrow(
    /tiny: .* not ready within 500 ms/,
  );
});

test('stop on an app that ignores SIGTERM → SIGKILL after the grace time', async () => {
  const { port, logFile, options } = await tinyApp({ IGNORE_SIGTERM: '1' });
  const app = await AppProcess.start({ ...options, healthUrl: `http://127.0.0.1:${port}/healthz` });
  const exit = new Promise<NodeJS.Signals | null>((resolve) => app.onExit((_code, signal) => resolve(signal)));
  const started = Date.now();
  await app.stop(300);
  expect(Date.now() - started).toBeGreaterThanOrEqual(300);
  expect(await exit).toBe('SIGKILL');
  expect(fs.readFileSync(logFile, 'utf8')).toContain('SIGTERM ignored');
});

test('kill → the process is gone at once; notify on a stopped process throws', async () => {
  const { port, options } = await tinyApp();
  const app = await AppProcess.start({ ...options, healthUrl: `http://127.0.0.1:${port}/healthz` });
  await app.kill();
  expect(app.running).toBe(false);
  expect(() => app.notify('SIGHUP')).toThrow('tiny is not running');
});

test('appEntry → apps/<app>/dist/main.js under the repository root', () => {
  expect(appEntry('api')).toBe(path.join(REPO_ROOT, 'apps', 'api', 'dist', 'main.js'));
  expect(fs.existsSync(path.join(REPO_ROOT, 'apps', 'api', 'package.json'))).toBe(true);
});
