export { createReconcileActivities, type ReconcileDeps } from './reconcile-activities';
export { ensureReconcileSchedules, reconcileScheduleId, reconcileSchedules, type ReconcileScheduleOptions } from './schedules';
export { listPage, paymentsQuery } from './payment-facts';
export { reportFiles, toCsv, writeReportFiles } from './report-files';
