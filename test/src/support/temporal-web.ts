// A Temporal dev server with Temporal Web, started the way an operator does (`npm run temporal`,
// temporal/start-dev.mjs) on free ports and a fresh data folder. The run's own server is
// headless (see jest-temporal-setup), so tests that look at the Web UI start this one.
import { type ChildProcess, spawn } from 'node:child_process';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { freePort } from './system';

const ROOT = path.resolve(__dirname, '..', '..', '..');
const START_DEV = path.join(ROOT, 'temporal', 'start-dev.mjs');

export interface TemporalWeb {
  /** host:port of the frontend gRPC service. */
  address: string;
  /** Temporal Web's base URL. */
  uiUrl: string;
  /** Stops the server and deletes its data. */
  stop(): Promise<void>;
}

/** Resolves once the server answers with every search attribute (start-dev.mjs prints "Temporal Web:" then). */
async function startOnce(env: NodeJS.ProcessEnv, dataDir: string): Promise<{ child: ChildProcess; uiUrl: string }> {
  const child = spawn(process.execPath, [START_DEV], { env, stdio: ['ignore', 'pipe', 'pipe'] });
  let output = '';
  const uiUrl = await new Promise<string>((resolve, reject) => {
    const onData = (chunk: Buffer) => {
      output += chunk.toString();
      const match = /^Temporal Web:\s+(\S+)/m.exec(output);
      if (match) resolve(match[1]!);
    };
    child.stdout!.on('data', onData);
    child.stderr!.on('data', onData);
    child.once('exit', (code) => reject(new Error(`npm run temporal exited with ${code} while starting (data ${dataDir}):\n${output.slice(-2000)}`)));
    child.once('error', reject);
  });
  // Keep draining its output, or the pipe fills and the server blocks.
  child.stdout!.resume();
  child.stderr!.resume();
  return { child, uiUrl };
}

/** Starts the dev server with Web UI; a port taken meanwhile → tries new ones. */
export async function startTemporalWeb(): Promise<TemporalWeb> {
  const dataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'payments-temporal-web-'));
  for (let attempt = 1; ; attempt++) {
    const address = `127.0.0.1:${await freePort()}`;
    const env: NodeJS.ProcessEnv = {
      PATH: process.env.PATH,
      HOME: process.env.HOME,
      TEMPORAL_CLI: process.env.TEMPORAL_CLI,
      TEMPORAL_ADDRESS: address,
      TEMPORAL_UI_PORT: String(await freePort()),
      DATA_DIR: dataDir,
    };
    try {
      const { child, uiUrl } = await startOnce(env, dataDir);
      const stop = async () => {
        if (child.exitCode === null) {
          const exited = new Promise((r) => child.once('exit', r));
          child.kill('SIGTERM');
          await exited;
        }
        fs.rmSync(dataDir, { recursive: true, force: true });
      };
      return { address, uiUrl, stop };
    } catch (err) {
      if (attempt >= 3 || !/address already in use/i.test(String(err))) {
        fs.rmSync(dataDir, { recursive: true, force: true });
        throw err;
      }
    }
  }
}
