import type { Deadline } from './deadline';
import type { PaymentOwners } from './payment-owners';
import type { PaymentsClient } from './temporal-client';

/** What one SPI request needs to reach the payment workflows: the client and queue, who owns what, and its deadline. */
export interface PaymentContext {
  client: PaymentsClient;
  taskQueue: string;
  owners: PaymentOwners;
  deadline: Deadline;
}
