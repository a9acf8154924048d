import * as path from 'node:path';
import { definePart } from './part';
import { text, urlText, wholeNumber } from './variable';

export const DATA_DIR = text({ name: 'DATA_DIR', default: '.data', meaning: 'the dev server’s SQLite file, the cluster’s PostgreSQL and the simulator’s ledger (a relative path: from the repository for the scripts, from the working directory for the simulator)' });
export const SIM_HOST = text({ name: 'SIM_HOST', default: '127.0.0.1', meaning: 'the address the simulator listens on' });
export const SIM_PORT = wholeNumber({ name: 'SIM_PORT', default: 3100, max: 65535, meaning: 'the port the simulator (acquirer, terminals, wallet page) listens on' });
export const SIM_APPROVE_DELAY_MS = wholeNumber({ name: 'SIM_APPROVE_DELAY_MS', default: 2000, unit: 'ms', meaning: 'how long the simulated customer takes to approve' });
export const SIM_PUBLIC_URL = urlText({
  name: 'SIM_PUBLIC_URL',
  default: 'http://127.0.0.1:3100',
  defaultText: 'http://127.0.0.1:<SIM_PORT>',
  meaning: 'the address put in QR codes; a phone on the same network needs the machine’s address',
});

/** Where state is kept on disk. */
export const storage = definePart('storage', [DATA_DIR], (env) => ({ dataDir: path.resolve(DATA_DIR.read(env)) }));

/** The simulated acquirer, terminals and wallet page. */
export const simulator = definePart('simulator', [SIM_HOST, SIM_PORT, SIM_APPROVE_DELAY_MS, SIM_PUBLIC_URL], (env) => {
  const port = SIM_PORT.read(env);
  return {
    host: SIM_HOST.read(env),
    port,
    approveDelayMs: SIM_APPROVE_DELAY_MS.read(env),
    /** The address put in QR codes; a phone on the same network needs the machine's address. */
    publicUrl: SIM_PUBLIC_URL.read(env, `http://127.0.0.1:${port}`),
  };
});
