export {
  temporalConnectionOptions,
  type TemporalConnectionOptions,
  type TemporalSettings,
} from './connection';
export { workerDeploymentOptions, type WorkerDeploymentSettings, type VersioningBehavior } from './worker-versioning';
export { orExitOnConfigError } from './or-exit';
