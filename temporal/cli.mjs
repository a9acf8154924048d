// Finds or builds the pinned Temporal CLI (which embeds the dev server). Plain Node with no
// npm dependencies: scripts/start.mjs and scripts/test.mjs call it before `npm install`.
// `node temporal/cli.mjs` prints the binary's path.
import { execFile } from 'node:child_process';
import { promises as fs, realpathSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';
import { cacheDir, findExecutable, findGo, isExecutable, runGo, withLock } from './go-build.mjs';

export const TEMPORAL_CLI_VERSION = 'v1.5.1';
const GO_PACKAGE = 'github.com/temporalio/cli/cmd/temporal';
// Our own module pinning the CLI (go.mod + go.sum), for when `go install …@version` fails.
const FALLBACK_MODULE_DIR = fileURLToPath(new URL('./cli-build/', import.meta.url));
const HEARTBEAT_MS = 30_000;

const defaultLog = (line) => console.error(line);
const execFileAsync = promisify(execFile);

/**
 * Where the built CLI is cached: per user and outside the working tree, so that clean clones
 * and CI workspaces on the same machine reuse one build.
 */
export function cachedCliPath() {
  return cacheDir('temporal-cli', TEMPORAL_CLI_VERSION, 'temporal');
}

/** Returns the absolute path of a usable `temporal` binary, building it with Go if needed. */
export async function ensureTemporalCli({ log = defaultLog } = {}) {
  if (process.env.TEMPORAL_CLI) {
    const chosen = path.resolve(process.env.TEMPORAL_CLI);
    if (!(await isExecutable(chosen))) {
      throw new Error(`TEMPORAL_CLI=${process.env.TEMPORAL_CLI} is not an executable file: fix or unset it`);
    }
    return chosen;
  }

  const onPath = await findExecutable('temporal');
  if (onPath) {
    const version = await usableCliVersion(onPath);
    if (version) {
      log(`[temporal-cli] using ${onPath} from PATH (${version})`);
      return onPath;
    }
  }

  const cached = cachedCliPath();
  if (await isExecutable(cached)) return cached;

  const go = await findGo();
  if (!go) {
    throw new Error(
      `Temporal CLI ${TEMPORAL_CLI_VERSION} not found and Go is not installed: install Go >= 1.25 (https://go.dev/dl/) ` +
        `so it can be built into ${cached}, or set TEMPORAL_CLI to a temporal binary`,
    );
  }
  await withLock(`${path.dirname(cached)}/build.lock`, 'the Temporal CLI', (line) => log(`[temporal-cli] ${line}`), async () => {
    // Another caller may have finished the build while we waited for the lock.
    if (!(await isExecutable(cached))) await buildCli({ go, target: cached, log });
  });
  return cached;
}

/**
 * A temporal on PATH is used only if it runs and its dev server has the flags we pass.
 * Returns its version line, or undefined.
 */
async function usableCliVersion(file) {
  try {
    const { stdout: version } = await execFileAsync(file, ['--version'], { timeout: 10_000 });
    const { stdout: help } = await execFileAsync(file, ['server', 'start-dev', '--help'], { timeout: 10_000 });
    return help.includes('--db-filename') && help.includes('--ip') ? version.trim() : undefined;
  } catch {
    return undefined;
  }
}

/**
 * Builds into a temp dir next to the target and renames it into place, so a killed build
 * never leaves a half-written binary where the next run would take it.
 */
async function buildCli({ go, target, log }) {
  const dir = path.dirname(target);
  const tmp = await fs.mkdtemp(path.join(dir, '.build-'));
  const started = Date.now();
  const heartbeat = setInterval(
    () => log(`[temporal-cli] still building (${Math.round((Date.now() - started) / 1000)} s)…`),
    HEARTBEAT_MS,
  );
  try {
    log(`[temporal-cli] building Temporal CLI ${TEMPORAL_CLI_VERSION} with ${go} into ${dir} (first run only, a few minutes)`);
    try {
      await runGo(go, ['install', `${GO_PACKAGE}@${TEMPORAL_CLI_VERSION}`], { env: { ...process.env, GOBIN: tmp } }, log);
    } catch (err) {
      log(`[temporal-cli] ${err.message}; building from temporal/cli-build/ instead`);
      try {
        await runGo(go, ['build', '-o', path.join(tmp, 'temporal'), GO_PACKAGE], { cwd: FALLBACK_MODULE_DIR }, log);
      } catch (fallbackErr) {
        throw new Error(
          `Could not build the Temporal CLI ${TEMPORAL_CLI_VERSION} (${fallbackErr.message}, see the [go] lines above): ` +
            `install Go >= 1.25 (https://go.dev/dl/), or set TEMPORAL_CLI to a temporal binary`,
        );
      }
    }
    await fs.rename(path.join(tmp, 'temporal'), target);
    log(`[temporal-cli] built ${target} in ${Math.round((Date.now() - started) / 1000)} s`);
  } finally {
    clearInterval(heartbeat);
    await fs.rm(tmp, { recursive: true, force: true });
  }
}

function isMain() {
  return process.argv[1] !== undefined && realpathSync(process.argv[1]) === fileURLToPath(import.meta.url);
}

if (isMain()) {
  ensureTemporalCli().then(
    (file) => console.log(file),
    (err) => {
      console.error(err.message);
      process.exitCode = 1;
    },
  );
}
