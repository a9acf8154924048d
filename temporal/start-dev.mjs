// `npm run temporal`: the dev server alone, in the foreground, on DATA_DIR's SQLite file.
// Installs nothing (the CLI is only built if missing, see cli.mjs); Ctrl-C stops it.
import { fileURLToPath } from 'node:url';
import { ensureTemporalCli } from './cli.mjs';
import { startDevServer } from './dev-server.mjs';
import { onOrphaned } from './processes.mjs';
import { devServerSettingsFromEnv } from './settings.mjs';

const repoRoot = fileURLToPath(new URL('..', import.meta.url));

async function main() {
  const settings = devServerSettingsFromEnv(process.env, repoRoot);
  const cliPath = await ensureTemporalCli();
  const server = await startDevServer({ cliPath, ...settings });
  console.log(`Temporal dev server: ${server.address} (namespace ${settings.namespace}, data ${settings.dataDir})`);
  console.log(`Temporal Web:        ${server.uiUrl}`);
  console.log('Ctrl-C to stop.');

  let stopping = false;
  const stop = async (reason) => {
    if (stopping) return;
    stopping = true;
    console.log(`${reason}: stopping the Temporal dev server…`);
    await server.stop();
    process.exit(0);
  };
  process.on('SIGINT', () => stop('SIGINT'));
  process.on('SIGTERM', () => stop('SIGTERM'));
  onOrphaned(() => stop('parent exited'));
  server.process.once('exit', (code, signal) => {
    if (stopping) return;
    console.error(`temporal server exited unexpectedly (${signal ?? `exit code ${code}`})`);
    process.exit(1);
  });
}

main().catch((err) => {
  console.error(err.message);
  process.exit(1);
});
