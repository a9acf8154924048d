// Every workflow the worker registers. This file is the worker's `workflowsPath`: it is
// bundled for the workflow sandbox, so it may import only deterministic code.
export { paymentWorkflow } from './payment-workflow';
export { reconcileWorkflow } from './reconcile/reconcile-workflow';
export { reconciliationFlagWorkflow } from './reconcile/flag-workflow';
