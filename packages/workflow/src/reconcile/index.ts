export * from './types';
export * from './match';
export * from './period';
export * from './report';
export type { MerchantScope, Page, ReconcileActivities } from './activities';
export { DEFAULT_TUNING, RECONCILE_FAILURE, RECORD_MARGIN_MS, reconcileWorkflow, reconcileWorkflowId, type ReconcileInput, type ReconcileProgress, type ReconcileTuning } from './reconcile-workflow';
export { flagWorkflowId, reconciliationFlagWorkflow } from './flag-workflow';
