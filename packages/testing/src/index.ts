export {
  AppProcess,
  Launcher,
  REPO_ROOT,
  STOP_GRACE_MS,
  appEntry,
  distinctFreePorts,
  distinctLowFreePorts,
  freePort,
  portIsFree,
  topology,
  type AppName,
  type AppProcessOptions,
  type Instance,
  type LauncherOptions,
  type TemporalCluster,
  type TemporalTopology,
} from '../launcher/index.cjs';
export { paymentRequest } from './payment-request';
