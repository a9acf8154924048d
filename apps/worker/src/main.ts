import { Runtime } from '@temporalio/worker';
import { loadConfigOrExit } from '@payments/config';
import { createWorker } from './worker';

async function main(): Promise<void> {
  const config = loadConfigOrExit();
  Runtime.install({ shutdownSignals: ['SIGINT', 'SIGTERM'] });
  const worker = await createWorker(config);
  console.log(
    JSON.stringify({ level: 'info', msg: 'worker started', taskQueue: config.temporal.taskQueue, temporal: config.temporal.address }),
  );
  await worker.run(); // resolves after a shutdown signal, once in-flight tasks are done
  await worker.connection?.close(); // the open connection would keep the process alive
}

main().catch((err: unknown) => {
  console.error(err);
  process.exit(1);
});
