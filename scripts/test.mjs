// `npm test`: what CI runs (.ci/run). Installs and builds what is missing, makes sure the
// pinned Temporal CLI exists (workflow and e2e tests start dev servers with it), then runs
// the phases in order and stops at the first failure. Plain Node: runs before `npm install`.
import { fileURLToPath } from 'node:url';
import { ensureTemporalCli } from '../temporal/cli.mjs';
import { ensurePostgres } from '../temporal/postgres.mjs';
import { ensureTemporalServer } from '../temporal/server.mjs';
import { ensureChromium } from './ensure-chromium.mjs';
import { ensureInstalled } from './ensure-installed.mjs';
import { run } from './run.mjs';

const repoRoot = fileURLToPath(new URL('..', import.meta.url));
// Not measured yet (the suites do not exist): on the 2-core CI machine, one turbo task at a
// time keeps jest runs that each start a dev server and a worker from starving each other.
// Revisit with timings once the suites exist.
const CI_TURBO_CONCURRENCY = 1;

const turboFlags = process.env.CI === 'true' ? [`--concurrency=${CI_TURBO_CONCURRENCY}`] : [];
const turbo = (...tasks) => run('npx', ['--no', '--', 'turbo', 'run', ...tasks, ...turboFlags], { cwd: repoRoot });

const phases = [
  ['install+build', () => ensureInstalled({ root: repoRoot })],
  [
    'temporal-cli',
    async () => {
      // turbo.json declares TEMPORAL_CLI for the test task, so it reaches every workspace.
      process.env.TEMPORAL_CLI = await ensureTemporalCli({ log: console.log });
    },
  ],
  // The cluster e2e tests (test/src/cluster/) run the Temporal server on PostgreSQL.
  [
    'temporal-server+postgres',
    async () => {
      await ensureTemporalServer({ log: console.log });
      await ensurePostgres({ log: console.log });
    },
  ],
  ['typecheck+lint', () => turbo('typecheck', 'lint')],
  ['unit', () => turbo('test')],
  // The browser e2e test drives Debian's Chromium; a fresh machine needs it installed.
  ['chromium', () => ensureChromium()],
  ['e2e', () => run('npm', ['run', 'e2e', '--workspace', '@payments/e2e'], { cwd: repoRoot })],
];

const timings = [];
const seconds = (ms) => `${(ms / 1000).toFixed(1)} s`;
for (const [name, phase] of phases) {
  console.log(`[test] ${name}`);
  const started = Date.now();
  try {
    await phase();
    timings.push(`${name} ${seconds(Date.now() - started)}`);
  } catch (err) {
    timings.push(`${name} FAILED after ${seconds(Date.now() - started)}`);
    console.error(`[test] ${err.message}`);
    console.error(`[test] failed: ${timings.join(', ')}`);
    process.exit(err.exitCode ?? 1);
  }
}
console.log(`[test] passed: ${timings.join(', ')}`);
