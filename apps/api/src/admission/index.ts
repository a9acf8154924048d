/** Admission control in front of Temporal: new payments refused fast when it is saturated, PUTs first, background work shed first. */
export { AdaptiveLimit, type Sample } from './adaptive-limit';
export { AdmissionControl, WORKER_VIEW_WAIT_MS, type Permit, type Work } from './admission-control';
