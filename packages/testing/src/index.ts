export { AppProcess, REPO_ROOT, STOP_GRACE_MS, appEntry, type AppName, type AppProcessOptions } from './app-process';
export { distinctFreePorts, distinctLowFreePorts, freePort, portIsFree } from './ports';
export { paymentRequest } from './payment-request';
