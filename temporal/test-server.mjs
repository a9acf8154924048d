// One throw-away dev server for a test run (jest globalSetup imports this with import()):
// free ports, a fresh temp dir, no Web UI.
import { promises as fs } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { ensureTemporalCli } from './cli.mjs';
import { freePort, startDevServer } from './dev-server.mjs';

/** Starts a headless dev server; stop() also deletes its data. */
export async function startTestServer({ namespace = 'default', log = (line) => console.error(line) } = {}) {
  const cliPath = await ensureTemporalCli({ log });
  const dataDir = await fs.mkdtemp(path.join(os.tmpdir(), 'payments-temporal-'));
  try {
    const server = await startOnFreePort({ cliPath, dataDir, namespace, headless: true, log });
    const stop = async () => {
      await server.stop();
      await fs.rm(dataDir, { recursive: true, force: true });
    };
    return { address: server.address, namespace, stop };
  } catch (err) {
    await fs.rm(dataDir, { recursive: true, force: true });
    throw err;
  }
}

// freePort() only finds a port that was free a moment ago: another process can take it
// before the server binds it, so try again with a new one.
async function startOnFreePort(options, attempts = 3) {
  for (let attempt = 1; ; attempt++) {
    try {
      return await startDevServer({ ...options, port: await freePort() });
    } catch (err) {
      if (attempt >= attempts || !/address already in use/i.test(err.message)) throw err;
    }
  }
}
