import { Client } from '@temporalio/client';
import { Worker, type InjectedSinks, type WorkerOptions } from '@temporalio/worker';
import { createReconcileActivities, ensureReconcileSchedules, type ActivityMetrics } from '@payments/activities';
import type { StripeRequestMetrics } from '@payments/adapters';
import type { WorkerConfig } from '@payments/config';
import { temporalConnectionOptions, workerDeploymentOptions } from '@payments/temporal-connection';
import type { PaymentViewSinks } from '@payments/workflow';
import { connectWithRetry } from './connect';
import { merchantActivities } from './merchant-activities';
import { reconcileReaders } from './reconcile-readers';
import type { ViewPusher } from './view-pusher';
import { workflowCode } from './workflow-bundle';

/** Builds the worker that runs payment workflows and their activities against each merchant's card provider. */
export async function createWorker(
  config: WorkerConfig,
  overrides: Partial<WorkerOptions> = {},
  deps: { metrics?: ActivityMetrics; stripe?: StripeRequestMetrics; log?: (msg: string) => void; views?: ViewPusher } = {},
): Promise<Worker> {
  const connection = await connectWithRetry(temporalConnectionOptions(config), deps.log);
  const deployment = workerDeploymentOptions(config.worker.deploymentEnv);
  const client = new Client({ connection, namespace: config.temporal.namespace });
  const readers = reconcileReaders(config, client);
  const activities = {
    ...merchantActivities(config, { temporal: { client }, metrics: deps.metrics, stripe: deps.stripe }),
    ...createReconcileActivities({ client, taskQueue: config.temporal.taskQueue, reportDir: config.reconciliation.reportDir, readers }),
  };
  // The daily reconciliation (docs/operators/reconciliation.md); a worker that cannot set it up still runs payments.
  await ensureReconcileSchedules(client, { ...config.reconciliation, merchants: [...readers.keys()], taskQueue: config.temporal.taskQueue }).catch((err: unknown) =>
    deps.log?.(`reconciliation schedules not set up: ${err instanceof Error ? err.message : String(err)}`),
  );
  return Worker.create({
    connection,
    namespace: config.temporal.namespace,
    taskQueue: config.temporal.taskQueue,
    ...workflowCode(),
    activities,
    // Open payments wait on timers most of their life; the cache keeps the hot ones so a
    // register's poll is answered without replaying history.
    maxCachedWorkflows: 2000,
    // A payment's next task goes first to the worker that has it cached (its sticky queue). When
    // that worker has died, the server still dispatches there for a while and gives the task to
    // another worker only after this timeout; a PUT waits that long (docs/operators/failover.md).
    stickyQueueScheduleToStartTimeout: config.worker.stickyTimeoutMs,
    sinks: viewSinks(deps.views),
    shutdownGraceTime: '10s',
    // Set from WORKER_DEPLOYMENT_NAME / WORKER_BUILD_ID for versioned deploys (docs/operators/production.md).
    ...(deployment ? { workerDeploymentOptions: deployment } : {}),
    ...overrides,
  });
}

/** The workflow's view changes go to the API through the pusher; not on replay (they went out the first time). */
export function viewSinks(views: ViewPusher | undefined): InjectedSinks<PaymentViewSinks> {
  return {
    paymentViews: {
      changed: { fn: (_info, view) => views?.push(view), callDuringReplay: false },
    },
  };
}
