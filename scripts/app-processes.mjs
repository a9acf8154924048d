// The whole system in this terminal, as `npm start` and `npm run cluster` run it: the launcher
// (packages/testing/launcher) starts every process with its output on our terminal, each dying
// with us; a process that dies on its own stops the rest; Ctrl-C stops the apps, then Temporal.
// Plain Node, beside the scripts: they run before `npm install`, and so does the launcher.
import launcherModule from '../packages/testing/launcher/index.cjs';
import { killWithParent, onOrphaned } from '../temporal/processes.mjs';

const { Launcher } = launcherModule;

/**
 * Starts the system the launcher's `options` describe and prints banner(launcher) once every API
 * is ready; until SIGINT or SIGTERM (exit 0), or until a process exits on its own (exit 1).
 * Shutdown order: the apps first (SIGTERM, SIGKILL after 10 s), Temporal last, so the workers
 * can finish their tasks. Temporal runs in a process group of its own, so a Ctrl-C typed in the
 * terminal reaches us and the apps at once and Temporal only after them; a second Ctrl-C kills
 * everything. When startup fails, diagnose(launcher) says why before anything stops.
 */
export async function runInTerminal({ tag, options, banner, diagnose }) {
  const log = (line) => console.log(`[${tag}] ${line}`);
  let launcher;
  let shuttingDown = false;
  const shutdown = async (code, reason) => {
    if (shuttingDown) {
      log('stopping now (SIGKILL)');
      launcher?.killAll();
      process.exit(code);
    }
    shuttingDown = true;
    const running = launcher ? [...launcher.names.filter((n) => launcher.isRunning(n)), ...(launcher.isTemporalRunning() ? ['temporal'] : [])] : [];
    log(`${reason}: stopping ${running.join(', ') || 'nothing started yet'}`);
    await launcher?.stop();
    log('stopped');
    process.exit(code);
  };
  // A requested stop is a success: exit 0, so npm does not report a failed script.
  process.on('SIGINT', () => shutdown(0, 'SIGINT'));
  process.on('SIGTERM', () => shutdown(0, 'SIGTERM'));
  onOrphaned(() => shutdown(0, 'npm (our parent) exited'));

  try {
    launcher = await Launcher.prepare({
      stopGraceMs: 10_000,
      ...options,
      onSpawn: killWithParent,
      // A Ctrl-C reaches the apps too, and one may exit before our own SIGINT handler runs.
      onExit: (name, code, signal) => (signal === 'SIGINT' ? shutdown(0, 'SIGINT') : shutdown(1, `${name} exited unexpectedly (${signal ?? `exit code ${code}`})`)),
    });
    await launcher.start({ stopOnFailure: false });
  } catch (err) {
    if (shuttingDown) return;
    log(err.message);
    if (launcher && diagnose) for (const line of await diagnose(launcher)) log(`  ${line}`);
    return shutdown(err.exitCode ?? 1, 'startup failed');
  }
  banner(launcher);
}

/**
 * The apps' fixed ports from the environment (PORT, SIM_PORT, VIEW_PUSH_PORT, WORKER_METRICS_PORT),
 * the second instance of a kind on the next port; throws one line naming a bad variable.
 */
export function portsFromEnv(env, { viewPush }) {
  const port = (name, fallback) => {
    const n = Number(env[name] || fallback);
    if (!Number.isInteger(n) || n < 1 || n > 65535) throw new Error(`${name} must be a port number, got "${env[name]}"`);
    return n;
  };
  return { api: port('PORT', 3000), simulator: port('SIM_PORT', 3100), viewPush: port('VIEW_PUSH_PORT', viewPush), workerMetrics: port('WORKER_METRICS_PORT', 9464) };
}
