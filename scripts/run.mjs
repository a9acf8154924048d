// Runs a command with the terminal attached; the scripts' only way to start tools.
import { spawn } from 'node:child_process';

/**
 * The environment every tool started by the scripts sees: Turborepo's telemetry is off (no
 * notice on a new machine, nothing sent), unless the caller's environment says otherwise.
 */
export const toolEnv = (env = process.env) => ({ TURBO_TELEMETRY_DISABLED: '1', ...env });

/** Resolves when the command exits 0; rejects with an Error carrying its exit code otherwise. */
export function run(command, args, options = {}) {
  return new Promise((resolve, reject) => {
    const child = spawn(command, args, { stdio: 'inherit', ...options, env: toolEnv(options.env) });
    child.on('error', reject);
    child.on('exit', (code, signal) => {
      if (code === 0) return resolve();
      reject(failure(command, args, code, signal));
    });
  });
}

/**
 * Like run, but the command's output is kept, not shown: on failure it is on the Error as
 * `output`, for the caller to print. For steps that only matter when they fail (a cached build).
 */
export function runQuietly(command, args, options = {}) {
  return new Promise((resolve, reject) => {
    const child = spawn(command, args, { ...options, stdio: ['ignore', 'pipe', 'pipe'], env: toolEnv(options.env) });
    const chunks = [];
    child.stdout.on('data', (c) => chunks.push(c));
    child.stderr.on('data', (c) => chunks.push(c));
    child.on('error', reject);
    child.on('close', (code, signal) => {
      if (code === 0) return resolve();
      const err = failure(command, args, code, signal);
      err.output = Buffer.concat(chunks).toString();
      reject(err);
    });
  });
}

function failure(command, args, code, signal) {
  const err = new Error(`${[command, ...args].join(' ')} failed (${signal ?? `exit code ${code}`})`);
  err.exitCode = code ?? 1;
  return err;
}
