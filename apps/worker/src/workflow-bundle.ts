import * as fs from 'node:fs';
import * as path from 'node:path';
import { bundleWorkflowCode, type WorkflowBundleOption } from '@temporalio/worker';

/** Where `npm run build` leaves the pre-bundled workflow code, so a worker starts in about a second. */
export const BUNDLE_PATH = path.join(__dirname, 'workflows.bundle.js');

/** The workflow code for Worker.create: the pre-built bundle, or a fresh bundle when there is none. */
export function workflowCode(): { workflowBundle: WorkflowBundleOption } | { workflowsPath: string } {
  if (fs.existsSync(BUNDLE_PATH)) return { workflowBundle: { codePath: BUNDLE_PATH } };
  return { workflowsPath: require.resolve('@payments/workflow/workflows') };
}

/** Build step: bundle the workflows once (`node dist/workflow-bundle.js`). */
async function writeBundle(): Promise<void> {
  const { code } = await bundleWorkflowCode({ workflowsPath: require.resolve('@payments/workflow/workflows') });
  fs.writeFileSync(`${BUNDLE_PATH}.tmp`, code);
  fs.renameSync(`${BUNDLE_PATH}.tmp`, BUNDLE_PATH);
}

if (require.main === module) {
  writeBundle().catch((err: unknown) => {
    console.error(err);
    process.exit(1);
  });
}
