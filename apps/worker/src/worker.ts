import { Client } from '@temporalio/client';
import { Worker, type WorkerOptions } from '@temporalio/worker';
import { createActivities } from '@payments/activities';
import { createHttpAcquirer, createHttpTerminal } from '@payments/adapters';
import type { Config } from '@payments/config';
import { connectWithRetry } from './connect';
import { workflowCode } from './workflow-bundle';

/** Per-call timeout towards the acquirer and terminal: above the slowest scripted answer (5 s). */
const ACQUIRER_CALL_TIMEOUT_MS = 15_000;

/** Builds the worker that runs payment workflows and their activities against the configured acquirer. */
export async function createWorker(config: Config, overrides: Partial<WorkerOptions> = {}): Promise<Worker> {
  const connection = await connectWithRetry(config.temporal.address);
  const client = new Client({ connection, namespace: config.temporal.namespace });
  const activities = createActivities({
    acquirer: createHttpAcquirer({ baseUrl: config.acquirerUrl, timeoutMs: ACQUIRER_CALL_TIMEOUT_MS }),
    terminal: createHttpTerminal({ baseUrl: config.acquirerUrl, timeoutMs: ACQUIRER_CALL_TIMEOUT_MS }),
    temporal: { client },
  });
  return Worker.create({
    connection,
    namespace: config.temporal.namespace,
    taskQueue: config.temporal.taskQueue,
    ...workflowCode(),
    activities,
    // Open payments wait on timers most of their life; the cache keeps the hot ones so a
    // register's poll is answered without replaying history.
    maxCachedWorkflows: 2000,
    shutdownGraceTime: '10s',
    ...overrides,
  });
}
