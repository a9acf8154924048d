import type { Client } from '@temporalio/client';

/** The part of the Temporal `Client` the API uses: a real Client fits it, and tests hand in a fake of just this. */
export interface PaymentsClient {
  workflow: Pick<Client['workflow'], 'start' | 'executeUpdateWithStart' | 'getHandle'>;
  workflowService: Pick<Client['workflowService'], 'describeTaskQueue'>;
  withDeadline: Client['withDeadline'];
}

/** What createApp needs to reach the payment workflows. */
export interface TemporalDeps {
  client: PaymentsClient;
  /** The task queue the worker polls; payment workflows start on it. */
  taskQueue: string;
}
