import { ConfigError } from '@payments/config';
import { workerDeploymentOptions } from './worker-versioning';

const problem = (env: Record<string, string>) => {
  try {
    workerDeploymentOptions(env);
  } catch (err) {
    if (err instanceof ConfigError) return err.message;
    throw err;
  }
  return null;
};

test('neither WORKER_DEPLOYMENT_NAME nor WORKER_BUILD_ID → an unversioned worker', () => {
  expect(workerDeploymentOptions({})).toBeUndefined();
});

test('both → deployment versioning, AUTO_UPGRADE unless WORKER_VERSIONING_BEHAVIOR says PINNED', () => {
  expect(workerDeploymentOptions({ WORKER_DEPLOYMENT_NAME: 'payments', WORKER_BUILD_ID: '2030.01.07-a1b2c3d' })).toEqual({
    version: { deploymentName: 'payments', buildId: '2030.01.07-a1b2c3d' },
    useWorkerVersioning: true,
    defaultVersioningBehavior: 'AUTO_UPGRADE',
  });
  expect(
    workerDeploymentOptions({ WORKER_DEPLOYMENT_NAME: 'payments', WORKER_BUILD_ID: 'a1b2c3d', WORKER_VERSIONING_BEHAVIOR: 'PINNED' })?.defaultVersioningBehavior,
  ).toBe('PINNED');
});

test.each([
  [{ WORKER_BUILD_ID: 'a1' }, /^WORKER_DEPLOYMENT_NAME: is required/],
  [{ WORKER_DEPLOYMENT_NAME: 'payments' }, /^WORKER_BUILD_ID: is required/],
  [{ WORKER_DEPLOYMENT_NAME: 'pay.ments', WORKER_BUILD_ID: 'a1' }, /^WORKER_DEPLOYMENT_NAME: must be/],
  [{ WORKER_DEPLOYMENT_NAME: 'payments', WORKER_BUILD_ID: 'a 1' }, /^WORKER_BUILD_ID: must be/],
  [{ WORKER_DEPLOYMENT_NAME: 'payments', WORKER_BUILD_ID: 'a1', WORKER_VERSIONING_BEHAVIOR: 'SOMETIMES' }, /^WORKER_VERSIONING_BEHAVIOR: must be/],
  [{ WORKER_VERSIONING_BEHAVIOR: 'PINNED' }, /^WORKER_VERSIONING_BEHAVIOR: needs/],
])('a bad value stops the worker with a line naming the variable: %j', (env, message) => {
  expect(problem(env)).toMatch(message);
});
