// Finds or builds the pinned Temporal server (the production binary, `temporal-server`) and its
// SQL schema tool (`temporal-sql-tool`), the same version the pinned CLI embeds. Built from the
// Go module proxy and cached outside the tree like the CLI (cli.mjs). Plain Node with no npm
// dependencies. `node temporal/server.mjs` prints the two paths.
import { promises as fs, realpathSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { cacheDir, findGo, isExecutable, runGo, withLock } from './go-build.mjs';

/** The server inside the pinned CLI v1.5.1: what is tested here is what the dev server runs. */
export const TEMPORAL_SERVER_VERSION = 'v1.29.1';
/**
 * What is built, per Go module (one `go install` each: it takes one module version at a time),
 * as cache name → package. The Web UI is the one the CLI v1.5.1 embeds.
 */
const BUILDS = Object.freeze([
  {
    module: 'go.temporal.io/server',
    version: TEMPORAL_SERVER_VERSION,
    binaries: { 'temporal-server': 'cmd/server', 'temporal-sql-tool': 'cmd/tools/sql' },
  },
  { module: 'github.com/temporalio/ui-server/v2', version: 'v2.42.1', binaries: { 'temporal-ui-server': 'cmd/server' } },
]);
// Our own module pinning the server (go.mod + go.sum), for when `go install …@version` fails.
const FALLBACK_MODULE_DIR = fileURLToPath(new URL('./server-build/', import.meta.url));
const HEARTBEAT_MS = 30_000;

const defaultLog = (line) => console.error(line);

/** Where the built binaries are cached for this user (one folder per version). */
export function cachedServerDir() {
  return cacheDir('temporal-server', TEMPORAL_SERVER_VERSION);
}

/**
 * Returns { server, sqlTool, uiServer }: absolute paths of temporal-server, temporal-sql-tool and
 * temporal-ui-server (Temporal Web), built
 * with Go into the cache when missing (several minutes on two cores; concurrent callers wait for
 * one build). TEMPORAL_SERVER_DIR names a folder that already holds both instead.
 */
export async function ensureTemporalServer({ log = defaultLog } = {}) {
  if (process.env.TEMPORAL_SERVER_DIR) {
    const chosen = paths(path.resolve(process.env.TEMPORAL_SERVER_DIR));
    for (const file of Object.values(chosen)) {
      if (!(await isExecutable(file))) {
        throw new Error(`TEMPORAL_SERVER_DIR=${process.env.TEMPORAL_SERVER_DIR} has no executable ${path.basename(file)}: fix or unset it`);
      }
    }
    return chosen;
  }
  const dir = cachedServerDir();
  if (await allBuilt(dir)) return paths(dir);
  const go = await findGo();
  if (!go) {
    throw new Error(
      `Temporal server ${TEMPORAL_SERVER_VERSION} not found and Go is not installed: install Go >= 1.25 (https://go.dev/dl/) ` +
        `so it can be built into ${dir}, or set TEMPORAL_SERVER_DIR to a folder with temporal-server, temporal-sql-tool and temporal-ui-server`,
    );
  }
  const say = (line) => log(`[temporal-server] ${line}`);
  await withLock(path.join(dir, 'build.lock'), 'the Temporal server', say, async () => {
    // Another caller may have finished the build while we waited for the lock.
    if (!(await allBuilt(dir))) await build({ go, dir, log });
  });
  return paths(dir);
}

function paths(dir) {
  return {
    server: path.join(dir, 'temporal-server'),
    sqlTool: path.join(dir, 'temporal-sql-tool'),
    uiServer: path.join(dir, 'temporal-ui-server'),
  };
}

async function allBuilt(dir) {
  for (const file of Object.values(paths(dir))) if (!(await isExecutable(file))) return false;
  return true;
}

/**
 * Builds into temp dirs next to the cache and renames into place, so a killed build never
 * leaves a half-written binary where the next run would take it.
 */
async function build({ go, dir, log }) {
  const started = Date.now();
  const heartbeat = setInterval(
    () => log(`[temporal-server] still building (${Math.round((Date.now() - started) / 1000)} s)…`),
    HEARTBEAT_MS,
  );
  const tmp = await fs.mkdtemp(path.join(dir, '.build-'));
  try {
    log(`[temporal-server] building Temporal server ${TEMPORAL_SERVER_VERSION}, its SQL tool and Temporal Web with ${go} into ${dir} (first run only, several minutes)`);
    for (const { module, version, binaries } of BUILDS) {
      // `go install` names a binary after its folder (two are called server): one GOBIN each.
      const gobin = await fs.mkdtemp(path.join(tmp, 'bin-'));
      const pkgs = Object.entries(binaries).map(([name, sub]) => ({ name, pkg: `${module}/${sub}` }));
      try {
        await runGo(go, ['install', ...pkgs.map(({ pkg }) => `${pkg}@${version}`)], { env: { ...process.env, GOBIN: gobin } }, log);
        for (const { name, pkg } of pkgs) await fs.rename(path.join(gobin, path.basename(pkg)), path.join(tmp, name));
      } catch (err) {
        log(`[temporal-server] ${err.message}; building from temporal/server-build/ instead`);
        try {
          for (const { name, pkg } of pkgs) await runGo(go, ['build', '-o', path.join(tmp, name), pkg], { cwd: FALLBACK_MODULE_DIR }, log);
        } catch (fallbackErr) {
          throw new Error(
            `Could not build ${module} ${version} (${fallbackErr.message}, see the [go] lines above): install Go >= 1.25 ` +
              `(https://go.dev/dl/), or set TEMPORAL_SERVER_DIR to a folder with temporal-server, temporal-sql-tool and temporal-ui-server`,
          );
        }
      }
    }
    for (const file of Object.values(paths(dir))) await fs.rename(path.join(tmp, path.basename(file)), file);
    log(`[temporal-server] built ${dir} in ${Math.round((Date.now() - started) / 1000)} s`);
  } finally {
    clearInterval(heartbeat);
    await fs.rm(tmp, { recursive: true, force: true });
  }
}

if (process.argv[1] !== undefined && realpathSync(process.argv[1]) === fileURLToPath(import.meta.url)) {
  ensureTemporalServer().then(
    (found) => console.log(Object.values(found).join('\n')),
    (err) => {
      console.error(err.message);
      process.exitCode = 1;
    },
  );
}
