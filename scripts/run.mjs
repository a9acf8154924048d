// Runs a command with the terminal attached; the scripts' only way to start tools.
import { spawn } from 'node:child_process';

/** Resolves when the command exits 0; rejects with an Error carrying its exit code otherwise. */
export function run(command, args, options = {}) {
  return new Promise((resolve, reject) => {
    const child = spawn(command, args, { stdio: 'inherit', ...options });
    child.on('error', reject);
    child.on('exit', (code, signal) => {
      if (code === 0) return resolve();
      const err = new Error(`${[command, ...args].join(' ')} failed (${signal ?? `exit code ${code}`})`);
      err.exitCode = code ?? 1;
      reject(err);
    });
  });
}
