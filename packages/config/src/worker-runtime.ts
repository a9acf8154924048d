import { definePart } from './part';
import { described, text, wholeNumber } from './variable';

export const WORKER_METRICS_HOST = text({ name: 'WORKER_METRICS_HOST', default: '127.0.0.1', meaning: 'where the worker serves Prometheus metrics (/metrics): the SDK’s and ours' });
export const WORKER_METRICS_PORT = wholeNumber({
  name: 'WORKER_METRICS_PORT',
  default: 9464,
  min: 1,
  max: 65535,
  defaultText: '9464 (npm run cluster: 9464, 9465)',
  meaning: 'the port of the worker’s /metrics',
});
export const WORKFLOW_STACK_TRACE_LIMIT = wholeNumber({
  name: 'WORKFLOW_STACK_TRACE_LIMIT',
  default: 0,
  max: 100,
  meaning:
    'frames kept in the stack traces of workflow code; 0 (the default) saves about a third of the workflow thread’s CPU, 10 brings back the stack trace query in Temporal Web (activities keep full stack traces)',
});
export const WORKER_STICKY_TIMEOUT_MS = wholeNumber({
  name: 'WORKER_STICKY_TIMEOUT_MS',
  default: 1000,
  min: 100,
  unit: 'ms',
  meaning:
    'how long a payment’s next workflow task waits for the worker that has the payment in its cache before any worker takes it (replaying its history): after a worker dies, its payments’ PUTs wait about this long (the SDK’s default is 10 s)',
});
export const WORKER_DEPLOYMENT_NAME = described({ name: 'WORKER_DEPLOYMENT_NAME', rule: 'letters, digits, - or _', meaning: 'Worker Deployment Versioning: the deployment; with WORKER_BUILD_ID (neither: unversioned)' });
export const WORKER_BUILD_ID = described({ name: 'WORKER_BUILD_ID', rule: 'letters, digits, . _ + -', meaning: 'Worker Deployment Versioning: this build’s id' });
export const WORKER_VERSIONING_BEHAVIOR = described({
  name: 'WORKER_VERSIONING_BEHAVIOR',
  rule: 'AUTO_UPGRADE | PINNED',
  default: 'AUTO_UPGRADE',
  meaning: 'whether a running payment moves to a new build at its next workflow task, or stays on its own',
});

/**
 * The worker process: its metrics listener, and its deployment version. `deploymentEnv` holds the
 * three versioning variables for packages/temporal-connection, which checks them together.
 */
export const workerRuntime = definePart(
  'worker runtime',
  [WORKER_METRICS_HOST, WORKER_METRICS_PORT, WORKFLOW_STACK_TRACE_LIMIT, WORKER_STICKY_TIMEOUT_MS, WORKER_DEPLOYMENT_NAME, WORKER_BUILD_ID, WORKER_VERSIONING_BEHAVIOR],
  (env) => ({
    /** Where the worker serves Prometheus metrics (Temporal SDK's and ours) at /metrics. */
    metricsHost: WORKER_METRICS_HOST.read(env),
    metricsPort: WORKER_METRICS_PORT.read(env),
    /** Read once at start, before the workflow threads exist (apps/worker/src/workflow-stack-traces.ts). */
    workflowStackTraceLimit: WORKFLOW_STACK_TRACE_LIMIT.read(env),
    /** The sticky queue's schedule-to-start timeout (apps/worker/src/worker.ts). */
    stickyTimeoutMs: WORKER_STICKY_TIMEOUT_MS.read(env),
    deploymentEnv: Object.fromEntries([WORKER_DEPLOYMENT_NAME, WORKER_BUILD_ID, WORKER_VERSIONING_BEHAVIOR].map((v) => [v.name, env[v.name]])),
  }),
);
