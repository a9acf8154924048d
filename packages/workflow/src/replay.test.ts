import * as fs from 'node:fs';
import * as path from 'node:path';
import { temporal } from '@temporalio/proto';
import { Worker } from '@temporalio/worker';
import { HISTORY_DIR, viewSinks, workflowBundle } from './testing/harness';

// Histories recorded from real runs of the payment workflow (RECORD_HISTORIES=1 npx jest
// payment-workflow). Replaying them with today's code fails when a change would break the
// payments that are running in production: guard such a change with patched().
const files = fs.readdirSync(HISTORY_DIR).filter((f) => f.endsWith('.history')).sort();

test('there are recorded histories to replay', () => {
  expect(files.length).toBeGreaterThanOrEqual(10);
});

test.each(files)('replaying %s with the current workflow code is deterministic', async (file) => {
  const history = temporal.api.history.v1.History.decode(fs.readFileSync(path.join(HISTORY_DIR, file)));
  await Worker.runReplayHistory({ workflowBundle: await workflowBundle(), sinks: viewSinks([]) }, history, file);
});
