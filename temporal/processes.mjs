// Child-process plumbing shared by the dev server and scripts/start.mjs: line-prefixed
// output, stopping with a deadline, and no orphans when the parent goes away.
import readline from 'node:readline';

/** Calls onLine for every line the stream writes. */
export function forEachLine(stream, onLine) {
  readline.createInterface({ input: stream, crlfDelay: Infinity }).on('line', onLine);
}

/** True once the child has exited (or never started). */
export function hasExited(child) {
  return child.pid === undefined || child.exitCode !== null || child.signalCode !== null;
}

/** Resolves once the child has exited. */
export function exited(child) {
  if (hasExited(child)) return Promise.resolve();
  return new Promise((resolve) => child.once('exit', () => resolve()));
}

/** SIGTERM, then SIGKILL if the child still runs after graceMs; resolves once it has exited. */
export async function stopProcess(child, graceMs = 10_000) {
  if (hasExited(child)) return;
  const done = exited(child);
  child.kill('SIGTERM');
  const timer = setTimeout(() => child.kill('SIGKILL'), graceMs);
  await done;
  clearTimeout(timer);
}

const living = new Set();
let hooksInstalled = false;

/**
 * Makes the child die with this process. Children are spawned in our process group
 * (detached: false), so a Ctrl-C in a terminal already reaches them; these hooks cover the
 * rest:
 * - 'exit' (normal end, process.exit(), uncaught exception): signal them. The hook must be
 *   synchronous, so it cannot wait; SIGTERM lets the child shut down cleanly on its own.
 * - SIGINT/SIGTERM/SIGHUP sent to this process alone (e.g. `kill <pid>`): Node's default
 *   action kills it without running 'exit'. When no other code listens for the signal we
 *   signal the children and re-raise it, so the process still dies of that signal. When the
 *   application listens, it owns the shutdown (and its order) and the 'exit' hook stays the
 *   backstop.
 * Not covered: SIGKILL of this process; nothing can run then (Linux's PR_SET_PDEATHSIG is
 * out of Node's reach).
 */
export function killWithParent(child) {
  living.add(child);
  child.once('exit', () => living.delete(child));
  if (hooksInstalled) return;
  hooksInstalled = true;
  process.on('exit', () => {
    for (const c of living) c.kill('SIGTERM');
  });
  for (const signal of ['SIGINT', 'SIGTERM', 'SIGHUP']) {
    const onSignal = () => {
      if (process.listenerCount(signal) > 1) return;
      for (const c of living) c.kill('SIGTERM');
      process.removeListener(signal, onSignal);
      process.kill(process.pid, signal);
    };
    process.on(signal, onSignal);
  }
}

/**
 * Calls fn once this process has lost its parent. `npm start` runs us through `sh -c`, and a
 * SIGTERM to npm kills npm and that shell without reaching us: without this check we, and
 * every child, would keep running as orphans.
 */
export function onOrphaned(fn) {
  const parent = process.ppid;
  const timer = setInterval(() => {
    if (process.ppid === parent) return;
    clearInterval(timer);
    fn();
  }, 1000);
  timer.unref();
}
