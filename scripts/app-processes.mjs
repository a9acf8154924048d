// The apps' processes as `npm start` and `npm run cluster` supervise them: spawned with their
// output on our terminal, a process that dies on its own stops the rest, and readiness polled.
// Plain Node, beside the scripts: they run before `npm install`, so they cannot import the
// built @payments/testing, whose launcher writes log files for the tests and the bench instead.
import { spawn } from 'node:child_process';
import { forEachLine, killWithParent } from '../temporal/processes.mjs';

/**
 * Spawns `node <main>` in cwd with env; each line it writes goes to our stdout (after `prefix`,
 * `[name] ` unless given) or stderr (always `[name] `). The child dies with this process.
 */
export function spawnApp({ name, main, cwd, env, prefix = `[${name}] `, log }) {
  const child = spawn(process.execPath, [main], { cwd, env, stdio: ['ignore', 'pipe', 'pipe'] });
  killWithParent(child);
  forEachLine(child.stdout, (line) => console.log(`${prefix}${line}`));
  forEachLine(child.stderr, (line) => console.error(`[${name}] ${line}`));
  child.on('error', (err) => log(`${name} could not start: ${err.message}`));
  return child;
}

/**
 * Calls shutdown(code, reason) when the child exits while stopping() is false: 1 for a process
 * that died, 0 for a Ctrl-C, which reaches the children too and one may exit before our own
 * SIGINT handler runs.
 */
export function shutdownOnExit(name, child, { stopping, shutdown }) {
  child.once('exit', (code, signal) => {
    if (stopping()) return;
    if (signal === 'SIGINT') shutdown(0, 'SIGINT');
    else shutdown(1, `${name} exited unexpectedly (${signal ?? `exit code ${code}`})`);
  });
}

/** Polls url every 500 ms: true once it answers 200, false after timeoutMs or once stopping(). */
export async function waitForReady(url, { timeoutMs, stopping }) {
  const deadline = Date.now() + timeoutMs;
  while (Date.now() < deadline && !stopping()) {
    const status = await fetch(url, { signal: AbortSignal.timeout(2000) }).then((r) => r.status, () => 0);
    if (status === 200) return true;
    await new Promise((resolve) => setTimeout(resolve, 500));
  }
  return false;
}
