// Workflow code for the bench's `platform` stage: what Temporal and a TypeScript worker cost for
// the counts a sale is held to (budget.test.ts), with no payment code at all. Bundled by
// platform-worker.ts; imports nothing but the workflow SDK.
import { condition, defineUpdate, proxyActivities, setHandler } from '@temporalio/workflow';

export interface PlatformActivities {
  /** Stands in for the customer: answers after the simulator's approve delay. */
  approve(): Promise<void>;
}

const { approve } = proxyActivities<PlatformActivities>({ startToCloseTimeout: '10s' });

/** The register's PUT completed, as an update that answers once the customer has approved. */
export const completeUpdate = defineUpdate<void>('complete');

/** The least a workflow can be: started, one workflow task, closed. */
export async function emptyWorkflow(): Promise<void> {
  // Nothing: the first workflow task completes the workflow.
}

/** A sale's shape: one activity (the customer), then the register's update finishes it. */
export async function saleShapedWorkflow(): Promise<void> {
  let approved = false;
  let completed = false;
  setHandler(completeUpdate, async () => {
    await condition(() => approved);
    completed = true;
  });
  await approve();
  approved = true;
  await condition(() => completed);
}
