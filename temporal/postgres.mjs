// A PostgreSQL server of our own for the local Temporal cluster: its own data folder (initdb on
// first use), its own port, listening on 127.0.0.1 only, no Unix socket. initdb and postgres
// refuse to run as root, so as root (CI) they run as the `postgres` user, who owns the folder
// and must be able to reach it: see reachableDataDir.
// Plain Node with no npm dependencies.
import { execFile, spawn } from 'node:child_process';
import { createHash } from 'node:crypto';
import { existsSync, promises as fs } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { promisify } from 'node:util';
import { isExecutable } from './go-build.mjs';
import { exited, forEachLine, hasExited, killWithParent } from './processes.mjs';

const execFileAsync = promisify(execFile);
const READY_TIMEOUT_MS = 60_000;
const PACKAGES = ['postgresql-15', 'postgresql'];
/** Where, as root, the data of a folder the postgres user cannot reach lives instead. */
const REACHABLE_HOME = '/var/lib/payments-postgres';
const defaultLog = (line) => console.error(line);

/**
 * How PostgreSQL is asked to stop (its own three modes): `fast` ends sessions and checkpoints,
 * `smart` waits for sessions to end, `immediate` stops without a checkpoint (recovery at start).
 */
const STOP_SIGNALS = Object.freeze({ smart: 'SIGTERM', fast: 'SIGINT', immediate: 'SIGQUIT' });

/** The folder with initdb, postgres, pg_isready and psql: the newest under /usr/lib/postgresql, or PG_BIN_DIR. */
export async function findPostgresBin() {
  if (process.env.PG_BIN_DIR) {
    const dir = path.resolve(process.env.PG_BIN_DIR);
    if (!(await hasTools(dir))) throw new Error(`PG_BIN_DIR=${process.env.PG_BIN_DIR} has no initdb and postgres: fix or unset it`);
    return dir;
  }
  const root = '/usr/lib/postgresql';
  const versions = (await fs.readdir(root).catch(() => [])).filter((v) => /^\d+$/.test(v)).sort((a, b) => Number(b) - Number(a));
  for (const version of versions) {
    const dir = path.join(root, version, 'bin');
    if (await hasTools(dir)) return dir;
  }
  return undefined;
}

async function hasTools(dir) {
  for (const tool of ['initdb', 'postgres', 'pg_isready', 'psql']) if (!(await isExecutable(path.join(dir, tool)))) return false;
  return true;
}

/** findPostgresBin(), installing Debian's package first when PostgreSQL is missing and we may (root with apt-get). */
export async function ensurePostgres({ log = defaultLog } = {}) {
  const found = await findPostgresBin();
  if (found) return found;
  if (process.getuid?.() !== 0 || !existsSync('/usr/bin/apt-get')) {
    throw new Error('PostgreSQL (initdb, postgres) not found: install it (Debian: apt-get install postgresql-15), or set PG_BIN_DIR to its bin folder');
  }
  log('[postgres] PostgreSQL not found: installing it with apt-get (first run only)');
  await execFileAsync('apt-get', ['update'], { maxBuffer: 1 << 26 });
  let lastError;
  for (const pkg of PACKAGES) {
    try {
      await execFileAsync('apt-get', ['install', '-y', '--no-install-recommends', pkg], {
        env: { ...process.env, DEBIAN_FRONTEND: 'noninteractive' },
        maxBuffer: 1 << 26,
      });
      const dir = await findPostgresBin();
      if (dir) return dir;
    } catch (err) {
      lastError = err;
    }
  }
  throw new Error(`could not install PostgreSQL with apt-get (${PACKAGES.join(' or ')}): ${lastError?.message.split('\n')[0] ?? 'no initdb after install'}`);
}

/**
 * As root: the uid and gid of the `postgres` user, created (a system user without a home)
 * when missing. Otherwise undefined: initdb and postgres run as we do.
 */
async function serverUser(log) {
  if (process.getuid?.() !== 0) return undefined;
  const lookup = async () => {
    const uid = Number((await execFileAsync('id', ['-u', 'postgres'])).stdout);
    const gid = Number((await execFileAsync('id', ['-g', 'postgres'])).stdout);
    return { uid, gid };
  };
  try {
    return await lookup();
  } catch {
    log('[postgres] creating the system user postgres (initdb and postgres refuse to run as root)');
    await execFileAsync('useradd', ['--system', '--no-create-home', '--shell', '/usr/sbin/nologin', 'postgres']);
    return lookup();
  }
}

/**
 * Starts PostgreSQL on dataDir (initdb first when the folder holds no cluster), with `user` as
 * its superuser, and resolves once it accepts connections on 127.0.0.1:port. The server dies
 * with this process (killWithParent).
 */
export async function startPostgres({ binDir, dataDir: asked, port, user, password, log = defaultLog }) {
  const owner = await serverUser(log);
  const asOwner = owner ? { uid: owner.uid, gid: owner.gid } : {};
  const dataDir = await reachableDataDir(asked, asOwner, log);
  await fs.mkdir(dataDir, { recursive: true, mode: 0o700 });
  if (owner) await fs.chown(dataDir, owner.uid, owner.gid);
  await fs.chmod(dataDir, 0o700); // postgres refuses a data folder others can read
  if (!existsSync(path.join(dataDir, 'PG_VERSION'))) await initdb({ binDir, dataDir, user, password, owner, asOwner, log });

  const args = ['-D', dataDir, '-p', String(port), '-c', 'listen_addresses=127.0.0.1', '-c', 'unix_socket_directories='];
  // cwd '/': our own folder may be out of the postgres user's reach.
  const child = spawn(path.join(binDir, 'postgres'), args, { ...asOwner, cwd: '/', stdio: ['ignore', 'pipe', 'pipe'] });
  killWithParent(child);
  const recent = [];
  const onLine = (line) => {
    recent.push(line);
    if (recent.length > 20) recent.shift();
    log(`[postgres] ${line}`);
  };
  forEachLine(child.stdout, onLine);
  forEachLine(child.stderr, onLine);
  const spawnError = new Promise((resolve) => child.once('error', resolve));
  const stop = async (mode = 'fast') => {
    if (hasExited(child)) return;
    const done = exited(child);
    child.kill(STOP_SIGNALS[mode]);
    const timer = setTimeout(() => child.kill('SIGKILL'), 30_000);
    await done;
    clearTimeout(timer);
  };
  const deadline = Date.now() + READY_TIMEOUT_MS;
  for (;;) {
    const ready = await execFileAsync(path.join(binDir, 'pg_isready'), ['-h', '127.0.0.1', '-p', String(port), '-U', user, '-t', '2']).then(
      () => true,
      () => false,
    );
    if (ready && !hasExited(child)) break;
    if (hasExited(child)) {
      const err = await Promise.race([spawnError, Promise.resolve(undefined)]);
      throw new Error(`postgres stopped before it was ready: ${err?.message ?? recent.find((l) => /FATAL|ERROR/.test(l)) ?? recent.at(-1) ?? `exit code ${child.exitCode}`}`);
    }
    if (Date.now() > deadline) {
      await stop('immediate');
      throw new Error(`postgres on 127.0.0.1:${port} not ready after ${READY_TIMEOUT_MS / 1000} s`);
    }
    await new Promise((resolve) => setTimeout(resolve, 200));
  }
  return { address: `127.0.0.1:${port}`, port, process: child, stop };
}

/**
 * The folder PostgreSQL's data lives in: the one asked for, unless (as root) the postgres user
 * cannot reach it, as in a clone in a private folder (/root/x, a mktemp folder of mode 700). Then
 * the data lives in /var/lib/payments-postgres/<hash of the folder asked for>, the same one on
 * every run from that clone, and the folder asked for becomes a link to it, so that DATA_DIR
 * still shows where it is. PostgreSQL has no Unix socket here (unix_socket_directories is
 * empty), so no socket folder needs reaching either.
 */
async function reachableDataDir(dataDir, asOwner, log) {
  if (asOwner.uid === undefined) return dataDir;
  const parent = path.dirname(path.resolve(dataDir));
  await fs.mkdir(parent, { recursive: true });
  const reachable = await execFileAsync('test', ['-x', parent], { ...asOwner, cwd: '/' }).then(
    () => true,
    () => false,
  );
  if (reachable) return dataDir;
  const real = path.join(REACHABLE_HOME, createHash('sha256').update(path.resolve(dataDir)).digest('hex').slice(0, 16));
  await fs.mkdir(REACHABLE_HOME, { recursive: true, mode: 0o755 });
  const here = await fs.lstat(dataDir).catch(() => undefined);
  // An empty folder is what a run that failed at initdb left; anything else stays as it is.
  if (here?.isDirectory() && (await fs.readdir(dataDir)).length === 0) await fs.rmdir(dataDir);
  if (!here || (here.isDirectory() && !existsSync(dataDir))) await fs.symlink(real, dataDir);
  log(`[postgres] the postgres user cannot reach ${parent} (a private folder above it): the data lives in ${real}`);
  return real;
}

async function initdb({ binDir, dataDir, user, password, owner, asOwner, log }) {
  log(`[postgres] creating a database cluster in ${dataDir}`);
  // The superuser's password reaches initdb through a file only its user can read.
  const tmp = await fs.mkdtemp(path.join(os.tmpdir(), 'payments-initdb-'));
  const pwfile = path.join(tmp, 'pw');
  try {
    await fs.writeFile(pwfile, `${password}\n`, { mode: 0o600 });
    if (owner) {
      await fs.chown(tmp, owner.uid, owner.gid);
      await fs.chown(pwfile, owner.uid, owner.gid);
    }
    const args = ['-D', dataDir, '-U', user, `--pwfile=${pwfile}`, '--auth-host=scram-sha-256', '--auth-local=reject', '-E', 'UTF8', '--locale=C'];
    await execFileAsync(path.join(binDir, 'initdb'), args, { ...asOwner, cwd: '/' }).catch((err) => {
      const why = (err.stderr || err.message).trim().split('\n').filter(Boolean).at(-1);
      throw new Error(`initdb in ${dataDir} failed: ${why}${owner ? ' (the postgres user must be able to reach that folder: chmod o+x on its parents)' : ''}`);
    });
  } finally {
    await fs.rm(tmp, { recursive: true, force: true });
  }
}

/** Runs one SQL statement with psql and returns its unaligned output ('' when there is none). */
export async function psql({ binDir, port, user, password, database, sql }) {
  const args = ['-h', '127.0.0.1', '-p', String(port), '-U', user, '-d', database, '-tAX', '-v', 'ON_ERROR_STOP=1', '-c', sql];
  const { stdout } = await execFileAsync(path.join(binDir, 'psql'), args, { env: { ...process.env, PGPASSWORD: password } });
  return stdout.trim();
}
