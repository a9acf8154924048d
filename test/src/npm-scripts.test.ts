// The root npm scripts as a user runs them: each goes through scripts/run-prepared.mjs, which
// installs and builds what is missing before the command. Here node_modules and dist/ exist (the
// run has built them), so this checks what a user sees on every later run: the command's own
// output on stdout, its exit code, its arguments, and Turborepo's telemetry off. The first run
// on a fresh clone (npm ci, a full build) is checked by hand: see the README's "Two commands".
import { execFile } from 'node:child_process';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';

const ROOT = path.resolve(__dirname, '..', '..');
const WRAPPER = path.join(ROOT, 'scripts', 'run-prepared.mjs');

/** Runs a command to its end from the repository root; never rejects. */
function sh(command: string, args: string[]): Promise<{ code: number | null; signal: NodeJS.Signals | null; stdout: string; stderr: string }> {
  return new Promise((resolve) => {
    const env = { ...process.env, TURBO_TELEMETRY_DISABLED: undefined };
    const child = execFile(command, args, { cwd: ROOT, env, timeout: 110_000 }, (_err, stdout, stderr) =>
      resolve({ code: child.exitCode, signal: child.signalCode, stdout, stderr }),
    );
  });
}

test('every root script a user runs, other than npm start/test and the dev server, goes through run-prepared.mjs', () => {
  const { scripts } = JSON.parse(fs.readFileSync(path.join(ROOT, 'package.json'), 'utf8')) as { scripts: Record<string, string> };
  const own = new Set(['start', 'test', 'temporal', 'cluster']); // these prepare what they need themselves
  const unprepared = Object.entries(scripts).filter(([name, line]) => !own.has(name) && !line.startsWith('node scripts/run-prepared.mjs '));
  expect(unprepared).toEqual([]);
});

test('npm run pos -- --help → the usage on stdout, nothing else there, exit 0', async () => {
  const run = await sh('npm', ['run', '--silent', 'pos', '--', '--help']);
  expect(run.code).toBe(0);
  expect(run.stdout).toMatch(/^Usage: npm run pos -- <sale\|refund> <amount>/);
  expect(run.stdout).not.toMatch(/\[install\]|\[build\]|turbo/);
});

test('npm run bench -- --help → its usage on stdout, exit 0', async () => {
  const run = await sh('npm', ['run', '--silent', 'bench', '--', '--help']);
  expect(run.code).toBe(0);
  expect(run.stdout).toMatch(/^npm run bench -- \[options\]/);
});

test('npm run chaos -- --help → its usage, exit 0; an unknown option → one line and the usage, exit 2', async () => {
  const help = await sh('npm', ['run', '--silent', 'chaos', '--', '--help']);
  expect(help.code).toBe(0);
  expect(help.stdout).toMatch(/^npm run chaos -- \[--minutes N\]/);
  const wrong = await sh('npm', ['run', '--silent', 'chaos', '--', '--minuets', '1']);
  expect(wrong.code).toBe(2);
  expect(wrong.stderr).toContain('[chaos] unknown option --minuets: use --minutes, --registers, --seed, --cluster\nnpm run chaos -- [--minutes N]');
  expect(wrong.stderr).not.toMatch(/\n\s+at /); // no stack trace
});

test('npm run reconcile -- --help → its usage, exit 0; an unknown option → one line and the usage, exit 2', async () => {
  const help = await sh('npm', ['run', '--silent', 'reconcile', '--', '--help']);
  expect(help.code).toBe(0);
  expect(help.stdout).toMatch(/^npm run reconcile -- \[--merchant M\]/);
  expect(help.stdout).toContain('docs/operators/reconciliation.md');
  const wrong = await sh('npm', ['run', '--silent', 'reconcile', '--', '--merchnat', 'demo']);
  expect(wrong.code).toBe(2);
  expect(wrong.stderr).toContain('reconcile: unknown option --merchnat: use --merchant, --from, --to\nnpm run reconcile -- [--merchant M]');
  expect(wrong.stderr).not.toMatch(/\n\s+at /);
});

test('a wrapped command → its arguments as given, its exit code, and TURBO_TELEMETRY_DISABLED=1 in its environment', async () => {
  const script = path.join(fs.mkdtempSync(path.join(os.tmpdir(), 'run-prepared-')), 'echo.js');
  fs.writeFileSync(script, 'console.log(JSON.stringify([process.argv.slice(2), process.env.TURBO_TELEMETRY_DISABLED])); process.exit(3);');
  const run = await sh('node', [WRAPPER, 'node', script, '--help', 'two words']);
  expect(run.code).toBe(3);
  expect(JSON.parse(run.stdout)).toEqual([['--help', 'two words'], '1']);
});

test('a wrapped command killed by a signal → the wrapper ends by the same signal', async () => {
  const run = await sh('node', [WRAPPER, 'node', '-e', "process.kill(process.pid, 'SIGTERM')"]);
  expect(run.signal).toBe('SIGTERM');
});

test('an unknown option before the command → one line naming it, exit 1, nothing run', async () => {
  const run = await sh('node', [WRAPPER, '--frobnicate', 'node', '-e', 'console.log("ran")']);
  expect(run.code).toBe(1);
  expect(run.stdout).toBe('');
  expect(run.stderr.trim()).toBe('run-prepared: unknown option --frobnicate (before the command: --temporal-cli, --chromium, --no-build)');
});
