import { ConfigError } from '@payments/config';

type Env = Record<string, string | undefined>;

export type VersioningBehavior = 'AUTO_UPGRADE' | 'PINNED';

/** Fits the worker's `workerDeploymentOptions` (SDK 1.24 Worker Deployment Versioning). */
export interface WorkerDeploymentSettings {
  version: { deploymentName: string; buildId: string };
  useWorkerVersioning: true;
  defaultVersioningBehavior: VersioningBehavior;
}

const DEPLOYMENT_NAME = /^[A-Za-z0-9_-]{1,200}$/;
const BUILD_ID = /^[A-Za-z0-9._+-]{1,200}$/;

/**
 * The worker's deployment version from WORKER_DEPLOYMENT_NAME and WORKER_BUILD_ID (both or
 * neither; neither: an unversioned worker, as in development), and WORKER_VERSIONING_BEHAVIOR
 * (AUTO_UPGRADE by default: a payment moves to the new build at its next workflow task, which is
 * why workflow changes go behind patched() and the replay tests guard them).
 */
export function workerDeploymentOptions(env: Env): WorkerDeploymentSettings | undefined {
  const name = env.WORKER_DEPLOYMENT_NAME ?? '';
  const buildId = env.WORKER_BUILD_ID ?? '';
  if (name === '' && buildId === '') {
    if (env.WORKER_VERSIONING_BEHAVIOR) throw new ConfigError('WORKER_VERSIONING_BEHAVIOR', 'needs WORKER_DEPLOYMENT_NAME and WORKER_BUILD_ID');
    return undefined;
  }
  if (name === '') throw new ConfigError('WORKER_DEPLOYMENT_NAME', 'is required with WORKER_BUILD_ID');
  if (buildId === '') throw new ConfigError('WORKER_BUILD_ID', 'is required with WORKER_DEPLOYMENT_NAME');
  if (!DEPLOYMENT_NAME.test(name)) throw new ConfigError('WORKER_DEPLOYMENT_NAME', `must be letters, digits, - or _ (no dots), got ${JSON.stringify(name)}`);
  if (!BUILD_ID.test(buildId)) throw new ConfigError('WORKER_BUILD_ID', `must be letters, digits, and . _ + -, got ${JSON.stringify(buildId)}`);
  const behavior = env.WORKER_VERSIONING_BEHAVIOR || 'AUTO_UPGRADE';
  if (behavior !== 'AUTO_UPGRADE' && behavior !== 'PINNED') {
    throw new ConfigError('WORKER_VERSIONING_BEHAVIOR', `must be AUTO_UPGRADE or PINNED, got ${JSON.stringify(behavior)}`);
  }
  return { version: { deploymentName: name, buildId }, useWorkerVersioning: true, defaultVersioningBehavior: behavior };
}
