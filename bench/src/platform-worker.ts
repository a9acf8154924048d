// The worker of the bench's `platform` stage, in a process of its own as the payment worker is:
// node platform-worker.js <temporal address> <task queue> <metrics port> <approve delay ms>.
// Same SDK, cache size, stack-trace frames and Prometheus endpoint as apps/worker; no payment code.
import { setTimeout as sleep } from 'node:timers/promises';
import { setFlagsFromString } from 'node:v8';
import { NativeConnection, Runtime, Worker } from '@temporalio/worker';
import type { PlatformActivities } from './platform-workflows';

async function main(): Promise<void> {
  const [address, taskQueue, metricsPort, approveMs] = process.argv.slice(2);
  if (!address || !taskQueue || !metricsPort || !approveMs) throw new Error('usage: platform-worker.js ADDRESS TASK_QUEUE METRICS_PORT APPROVE_MS');
  // As apps/worker does by default (WORKFLOW_STACK_TRACE_LIMIT=0), before the workflow threads start.
  setFlagsFromString('--stack-trace-limit=0');
  Runtime.install({
    shutdownSignals: ['SIGINT', 'SIGTERM'],
    telemetryOptions: { metrics: { prometheus: { bindAddress: `127.0.0.1:${metricsPort}` } } },
  });
  const activities: PlatformActivities = { approve: () => sleep(Number(approveMs)) };
  const worker = await Worker.create({
    connection: await NativeConnection.connect({ address }),
    taskQueue,
    workflowsPath: require.resolve('./platform-workflows'),
    activities,
    maxCachedWorkflows: 2000,
  });
  process.stdout.write('platform worker ready\n');
  await worker.run();
}

main().catch((err: unknown) => {
  console.error(err);
  process.exit(1);
});
