// What the pinned CLI build and the server build share: finding Go, running it with its output
// streamed, one build at a time per cache folder, and executables looked up on PATH. Plain Node
// with no npm dependencies (used before `npm install`).
import { spawn } from 'node:child_process';
import { constants, promises as fs } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { forEachLine } from './processes.mjs';

// Go's installer puts it here without always adding it to PATH.
const GO_WELL_KNOWN_PATHS = ['/usr/local/go/bin/go'];

/** `${XDG_CACHE_HOME:-~/.cache}/sitoo-payments/<...parts>`: per user, outside any working tree. */
export function cacheDir(...parts) {
  const cacheHome = process.env.XDG_CACHE_HOME || path.join(os.homedir(), '.cache');
  return path.resolve(cacheHome, 'sitoo-payments', ...parts);
}

/** The go binary on PATH or where Go's installer puts it; undefined when Go is not installed. */
export async function findGo() {
  return (await findExecutable('go')) ?? (await firstExecutable(GO_WELL_KNOWN_PATHS));
}

/** Runs go with its output streamed line by line, prefixed. */
export function runGo(go, args, options, log) {
  return new Promise((resolve, reject) => {
    const child = spawn(go, args, { ...options, stdio: ['ignore', 'pipe', 'pipe'] });
    forEachLine(child.stdout, (line) => log(`[go] ${line}`));
    forEachLine(child.stderr, (line) => log(`[go] ${line}`));
    child.on('error', reject);
    child.on('exit', (code, signal) =>
      code === 0 ? resolve() : reject(new Error(`go ${args[0]} failed (${signal ?? `exit code ${code}`})`)),
    );
  });
}

/**
 * mkdir is atomic, so a directory is the lock: a second caller (say `npm start` and `npm test`
 * at once) waits instead of building the same binary twice. A lock whose owner process is
 * gone (killed mid-build) is taken over. `what` names the build in the waiting line.
 */
export async function withLock(lockDir, what, log, fn) {
  await fs.mkdir(path.dirname(lockDir), { recursive: true });
  let announced = false;
  for (;;) {
    try {
      await fs.mkdir(lockDir);
      break;
    } catch (err) {
      if (err.code !== 'EEXIST') throw err;
    }
    if (await isStaleLock(lockDir)) {
      await fs.rm(lockDir, { recursive: true, force: true });
      continue;
    }
    if (!announced) log(`waiting for another build of ${what} to finish (lock ${lockDir})…`);
    announced = true;
    await new Promise((resolve) => setTimeout(resolve, 1000));
  }
  try {
    await fs.writeFile(path.join(lockDir, 'pid'), String(process.pid));
    await removeLeftoverBuilds(path.dirname(lockDir));
    return await fn();
  } finally {
    await fs.rm(lockDir, { recursive: true, force: true });
  }
}

async function isStaleLock(lockDir) {
  const pid = Number(await fs.readFile(path.join(lockDir, 'pid'), 'utf8').catch(() => ''));
  if (pid) return !isAlive(pid);
  // No pid yet: the owner writes it right after mkdir, so only an old lock is abandoned.
  const stat = await fs.stat(lockDir).catch(() => undefined);
  return stat !== undefined && Date.now() - stat.mtimeMs > 10_000;
}

function isAlive(pid) {
  try {
    process.kill(pid, 0);
    return true;
  } catch (err) {
    return err.code === 'EPERM';
  }
}

/** Temp dirs of builds that were killed; only called while holding the lock. */
async function removeLeftoverBuilds(dir) {
  for (const name of await fs.readdir(dir)) {
    if (name.startsWith('.build-')) await fs.rm(path.join(dir, name), { recursive: true, force: true });
  }
}

/** Whether file is an executable regular file. */
export async function isExecutable(file) {
  try {
    await fs.access(file, constants.X_OK);
    return (await fs.stat(file)).isFile();
  } catch {
    return false;
  }
}

async function firstExecutable(files) {
  for (const file of files) if (await isExecutable(file)) return file;
  return undefined;
}

/** The first executable called name on PATH, or undefined. */
export async function findExecutable(name) {
  const dirs = (process.env.PATH ?? '').split(path.delimiter).filter(Boolean);
  return firstExecutable(dirs.map((dir) => path.resolve(dir, name)));
}
