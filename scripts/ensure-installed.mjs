// Installs dependencies when node_modules is missing or behind package-lock.json, then builds
// (turbo's cache makes an unchanged build take a second). Plain Node: runs before `npm install`.
// `node scripts/ensure-installed.mjs` does the same from a shell.
import { promises as fs, realpathSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { run, runQuietly } from './run.mjs';

const repoRoot = fileURLToPath(new URL('..', import.meta.url));
const SLOW_BUILD_MS = 5000;

/** Why an install is needed, or undefined when node_modules matches the lock file. */
export async function installReason(root = repoRoot) {
  const lockFile = path.join(root, 'package-lock.json');
  // npm's record of what it installed, written at the end of every install.
  const installedFile = path.join(root, 'node_modules', '.package-lock.json');
  const lock = await fs.stat(lockFile).catch(() => undefined);
  const installed = await fs.stat(installedFile).catch(() => undefined);
  if (!installed) return 'node_modules is missing';
  if (!lock) return 'there is no package-lock.json';
  if (installed.mtimeMs >= lock.mtimeMs) return undefined;
  // A newer lock file usually means a pull changed it, but `npm install <pkg>` also writes the
  // lock a moment after node_modules: compare what the lock asks for with what is installed.
  const wanted = JSON.parse(await fs.readFile(lockFile, 'utf8')).packages ?? {};
  const have = JSON.parse(await fs.readFile(installedFile, 'utf8')).packages ?? {};
  for (const [key, entry] of Object.entries(wanted)) {
    if (!key.includes('node_modules/')) continue; // the root and the workspaces themselves
    const got = have[key];
    if (!got && entry.optional) continue; // e.g. another platform's binary
    const same = entry.link ? got?.resolved === entry.resolved : got?.version === entry.version;
    if (!same) return `package-lock.json wants ${key.replace(/^.*node_modules\//, '')}@${entry.version ?? entry.resolved}, node_modules has ${got?.version ?? got?.resolved ?? 'none'}`;
  }
  return undefined;
}

/**
 * npm ci (npm install without a lock file) if needed, then `turbo run build` (unless `build`
 * is false: the caller runs a turbo task that builds what it needs). `quiet`: say
 * nothing when nothing was missing, send npm's output to stderr, and show the build's output
 * only when it fails — for the npm scripts that wrap a command whose output is the point.
 */
export async function ensureInstalled({ root = repoRoot, log = console.log, quiet = false, build = true } = {}) {
  const reason = await installReason(root);
  if (reason) {
    const hasLock = await fs.access(path.join(root, 'package-lock.json')).then(() => true, () => false);
    const command = hasLock ? 'ci' : 'install';
    log(`[install] ${reason}: running npm ${command}`);
    await run('npm', [command, '--no-audit', '--no-fund'], { cwd: root, stdio: quiet ? ['ignore', 2, 2] : 'inherit' });
  } else if (!quiet) {
    log('[install] node_modules is up to date with package-lock.json');
  }
  if (!build) return;
  // --no: use the turbo from node_modules, never fetch one.
  const turboBuild = ['--no', '--', 'turbo', 'run', 'build', '--output-logs=errors-only'];
  if (!quiet) {
    log('[build] npx turbo run build');
    await run('npx', turboBuild, { cwd: root });
    return;
  }
  // A cached build takes a second; a longer one is announced, so a silent minute is not a hang.
  const slow = setTimeout(() => log('[build] building what changed (npx turbo run build)…'), SLOW_BUILD_MS);
  try {
    await runQuietly('npx', turboBuild, { cwd: root });
  } catch (err) {
    process.stderr.write(err.output ?? '');
    throw err;
  } finally {
    clearTimeout(slow);
  }
}

if (process.argv[1] !== undefined && realpathSync(process.argv[1]) === fileURLToPath(import.meta.url)) {
  ensureInstalled().catch((err) => {
    console.error(err.message);
    process.exit(err.exitCode ?? 1);
  });
}
