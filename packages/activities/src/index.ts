export { createActivities, type ActivityDeps } from './create-activities';
export type { TemporalDeps } from './sale-refunds';
export type { PollTiming } from './poll';
export type { ActivityMetrics, CallErrorKind, ProviderSide } from './activity-metrics';
export * from './reconcile';
