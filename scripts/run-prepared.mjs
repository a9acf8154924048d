// `node scripts/run-prepared.mjs [--temporal-cli] [--chromium] [--no-build] <command> [args…]`:
// what the root npm scripts run, so each works on a fresh clone with no manual step. Installs
// what is missing and builds (turbo's cache makes an unchanged build take a second), then runs
// the command with the remaining arguments (`npm run pos -- --help` reaches pos as `--help`) and
// exits as it does. Plain Node: runs before `npm install`.
//   --temporal-cli  find or build the pinned Temporal CLI first and hand it on as TEMPORAL_CLI
//   --chromium      install Debian's Chromium first if missing (the browser test)
//   --no-build      install only: the command is a turbo task that builds what it depends on
import { spawn } from 'node:child_process';
import { realpathSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { ensureTemporalCli } from '../temporal/cli.mjs';
import { ensureChromium } from './ensure-chromium.mjs';
import { ensureInstalled } from './ensure-installed.mjs';
import { toolEnv } from './run.mjs';

const repoRoot = fileURLToPath(new URL('..', import.meta.url));
const OPTIONS = ['--temporal-cli', '--chromium', '--no-build'];
// Preparing talks on stderr: stdout belongs to the command (`npm run pos … | less`).
const log = (line) => console.error(line);

/** Splits the wrapper's own options (before the command) from the command and its arguments. */
export function parseArgs(argv) {
  const options = new Set();
  let i = 0;
  for (; i < argv.length && argv[i].startsWith('--'); i++) {
    if (!OPTIONS.includes(argv[i])) throw new Error(`run-prepared: unknown option ${argv[i]} (before the command: ${OPTIONS.join(', ')})`);
    options.add(argv[i]);
  }
  const [command, ...args] = argv.slice(i);
  if (command === undefined) throw new Error('run-prepared: no command given');
  return { command, args, temporalCli: options.has('--temporal-cli'), chromium: options.has('--chromium'), build: !options.has('--no-build') };
}

/** Installs, builds and fetches what the command needs; returns the environment to run it in. */
export async function prepare({ temporalCli = false, chromium = false, build = true } = {}) {
  await ensureInstalled({ root: repoRoot, log, quiet: true, build });
  const env = toolEnv({ ...process.env, PATH: [path.join(repoRoot, 'node_modules', '.bin'), process.env.PATH].join(path.delimiter) });
  if (temporalCli) env.TEMPORAL_CLI = await ensureTemporalCli({ log });
  if (chromium) await ensureChromium({ log });
  return env;
}

/** Runs the command with the terminal attached; resolves with its exit code or the signal that ended it. */
function runAttached(command, args, env) {
  return new Promise((resolve, reject) => {
    const child = spawn(command, args, { cwd: repoRoot, env, stdio: 'inherit' });
    // A Ctrl-C reaches the command straight from the terminal (same process group), and npm
    // forwards it too: passing SIGINT on as well would make it a second Ctrl-C. A SIGTERM or
    // SIGHUP sent to us alone is passed on, and we exit when the command has.
    const ignore = () => undefined;
    const forward = (signal) => child.kill(signal);
    process.on('SIGINT', ignore);
    process.on('SIGTERM', forward);
    process.on('SIGHUP', forward);
    child.once('error', reject);
    child.once('exit', (code, signal) => {
      process.off('SIGINT', ignore);
      process.off('SIGTERM', forward);
      process.off('SIGHUP', forward);
      resolve({ code, signal });
    });
  });
}

async function main() {
  const { command, args, ...needs } = parseArgs(process.argv.slice(2));
  const env = await prepare(needs);
  const { code, signal } = await runAttached(command, args, env);
  // Die of the same signal, so npm and shells report it as the command's own end.
  if (signal) process.kill(process.pid, signal);
  else process.exitCode = code ?? 1;
}

if (process.argv[1] !== undefined && realpathSync(process.argv[1]) === fileURLToPath(import.meta.url)) {
  main().catch((err) => {
    console.error(err.message);
    process.exit(err.exitCode ?? 1);
  });
}
