// The dev server's settings from the environment names of docs/operators/running.md, shared by
// `npm run temporal` and `npm start` so both start the same server.
import path from 'node:path';

/** Parses TEMPORAL_ADDRESS, TEMPORAL_UI_PORT, TEMPORAL_NAMESPACE and DATA_DIR; throws one line naming a bad variable. */
export function devServerSettingsFromEnv(env, repoRoot) {
  const address = env.TEMPORAL_ADDRESS || '127.0.0.1:7233';
  const match = /^(\[[^\]]+\]|[^:]+):(\d+)$/.exec(address);
  const port = Number(match?.[2]);
  if (!match || !isPort(port)) throw new Error(`TEMPORAL_ADDRESS must be host:port, got "${address}"`);
  const uiPort = Number(env.TEMPORAL_UI_PORT || 8233);
  if (!isPort(uiPort)) throw new Error(`TEMPORAL_UI_PORT must be a port number, got "${env.TEMPORAL_UI_PORT}"`);
  return {
    ip: match[1].replace(/^\[|\]$/g, ''),
    port,
    uiPort,
    namespace: env.TEMPORAL_NAMESPACE || 'default',
    dataDir: path.resolve(repoRoot, env.DATA_DIR || '.data'),
  };
}

function isPort(n) {
  return Number.isInteger(n) && n > 0 && n < 65536;
}
