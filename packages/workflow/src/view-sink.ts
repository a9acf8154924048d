import type { Sinks } from '@temporalio/workflow';
import type { VersionedView } from './view';

/**
 * What the workflow tells the worker outside its history: each new version of the register's
 * view. The worker forwards it to the API (apps/worker/src/view-pusher.ts); it is not called on
 * replay, and a lost one costs only a query (the API checks its copy against `viewQuery`).
 */
export interface PaymentViewSinks extends Sinks {
  paymentViews: {
    changed(view: VersionedView): void;
  };
}
