import type { AdmissionControl } from '../admission';
import type { Deadline, PaymentsClient } from '../temporal';
import type { PaymentDirectory } from './payment-directory';
import type { PaymentViews } from '../views';

/** What one SPI request needs to reach the payment workflows: the client and queue, who owns what, the views the workers pushed, and its deadline. */
export interface PaymentContext {
  client: PaymentsClient;
  taskQueue: string;
  directory: PaymentDirectory;
  views: PaymentViews;
  /** Where Temporal calls take their place in flight; background checks ask it for room first. */
  admission: AdmissionControl;
  deadline: Deadline;
  /** A deadline of its own, for a call that outlives the request (a background check). */
  newDeadline: () => Deadline;
}
