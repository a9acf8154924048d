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
  [WORKER_METRICS_HOST, WORKER_METRICS_PORT, WORKER_DEPLOYMENT_NAME, WORKER_BUILD_ID, WORKER_VERSIONING_BEHAVIOR],
  (env) => ({
    /** Where the worker serves Prometheus metrics (Temporal SDK's and ours) at /metrics. */
    metricsHost: WORKER_METRICS_HOST.read(env),
    metricsPort: WORKER_METRICS_PORT.read(env),
    deploymentEnv: Object.fromEntries([WORKER_DEPLOYMENT_NAME, WORKER_BUILD_ID, WORKER_VERSIONING_BEHAVIOR].map((v) => [v.name, env[v.name]])),
  }),
);
