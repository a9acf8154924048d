// startCluster() in a process of its own, driven over Node's IPC channel: for callers that cannot
// load ES modules (jest's CommonJS test files) or want Temporal and PostgreSQL in a separate
// process. Fork it with the options as JSON in argv[2]; it sends { type: 'ready', address,
// metricsUrl, uiUrl, postgresPort, serverPid, postgresPid }, then { type: 'exit', what: 'server'
// | 'postgres', code, signal } whenever one of them exits, and answers { id, op, args } with
// { id, ok, value | error } (a start or stop answers the pids, { server, postgres }).
// It stops everything when its parent goes away.
import { startCluster } from './cluster.mjs';
import { findPostgresBin, psql } from './postgres.mjs';

const OPS = ['startPostgres', 'stopPostgres', 'startServer', 'stopServer'];

async function main() {
  if (!process.send) throw new Error('temporal/cluster-process.mjs must be started with fork() (it talks over IPC)');
  const options = JSON.parse(process.argv[2] ?? '{}');
  const cluster = await startCluster({ ...options, log: (line) => console.log(line) });
  const watch = () => {
    for (const [what, child] of [['server', cluster.server], ['postgres', cluster.postgres?.process]]) {
      if (!child || child.watched) continue;
      child.watched = true;
      child.once('exit', (code, signal) => process.send?.({ type: 'exit', what, code, signal }));
    }
  };
  watch();
  const pids = () => ({ server: cluster.server?.pid, postgres: cluster.postgres?.process.pid });
  process.on('message', async ({ id, op, args = [] }) => {
    try {
      let value;
      if (op === 'psql') value = await psql({ binDir: await findPostgresBin(), port: cluster.postgres.port, ...options.postgres, ...args[0] });
      else if (OPS.includes(op)) {
        await cluster[op](...args);
        value = pids(); // a process started again has a new pid
      } else throw new Error(`unknown operation ${op}`);
      watch();
      process.send?.({ id, ok: true, value });
    } catch (err) {
      process.send?.({ id, ok: false, error: err.message });
    }
  });
  process.on('disconnect', async () => {
    await cluster.stop();
    process.exit(0);
  });
  process.on('SIGTERM', async () => {
    await cluster.stop();
    process.exit(0);
  });
  process.send({ type: 'ready', address: cluster.address, metricsUrl: cluster.metricsUrl, uiUrl: cluster.uiUrl, postgresPort: cluster.postgres.port, serverPid: cluster.server.pid, postgresPid: cluster.postgres.process.pid });
}

main().catch((err) => {
  console.error(`[cluster] ${err.message}`);
  process.send?.({ type: 'failed', error: err.message });
  process.exit(1);
});
