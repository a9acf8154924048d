// What the worker's CPU does per payment workflow with no server in the way: replays the
// recorded histories of packages/workflow many times and reports CPU-ms per history, for the
// frames kept in workflow stack traces (WORKFLOW_STACK_TRACE_LIMIT). The `replay` stage runs it
// in a process of its own per limit, because V8 reads the limit once, when a thread starts.
import * as fs from 'node:fs';
import * as path from 'node:path';
import { setFlagsFromString } from 'node:v8';
import { temporal } from '@temporalio/proto';
import { Worker } from '@temporalio/worker';

const packageDir = (name: string) => path.dirname(require.resolve(`${name}/package.json`));

/** The recorded histories replay.test.ts checks, in the workflow package's sources (this tool runs in the repository). */
const HISTORY_DIR = path.join(packageDir('@payments/workflow'), 'src', '__fixtures__', 'histories');

/** The workflow code exactly as the worker runs it: the bundle its build writes. */
const BUNDLE_PATH = path.join(packageDir('@payments/worker'), 'dist', 'workflows.bundle.js');

/** The workflow's view pushes, as the worker declares them: never called on replay. */
const sinks = { paymentViews: { changed: { fn: () => undefined, callDuringReplay: false } } };

async function main(): Promise<void> {
  // node dist/replay-cpu.js FRAMES ROUNDS (a measuring tool: the bench passes both)
  const frames = Number(process.argv[2] ?? '0');
  const rounds = Number(process.argv[3] ?? '10');
  if (!Number.isInteger(frames) || !Number.isInteger(rounds) || rounds < 1) throw new Error('usage: replay-cpu.js FRAMES ROUNDS');
  setFlagsFromString(`--stack-trace-limit=${frames}`); // what the worker's limitWorkflowStackTraces does
  const histories = fs
    .readdirSync(HISTORY_DIR)
    .filter((f) => f.endsWith('.history'))
    .map((f) => ({ workflowId: f, history: temporal.api.history.v1.History.decode(fs.readFileSync(path.join(HISTORY_DIR, f))) }));
  const options = { workflowBundle: { codePath: BUNDLE_PATH }, sinks };
  const replayAll = async (list: typeof histories): Promise<number> => {
    let n = 0;
    for await (const r of Worker.runReplayHistories(options, list)) {
      if (r.error) throw r.error;
      n++;
    }
    return n;
  };
  await replayAll(histories); // warm-up: the bundle loaded, the code compiled
  const list = Array.from({ length: rounds }, (_, i) => histories.map((h) => ({ ...h, workflowId: `${h.workflowId}#${i}` }))).flat();
  const before = process.cpuUsage();
  const replayed = await replayAll(list);
  const used = process.cpuUsage(before);
  process.stdout.write(`${JSON.stringify({ frames, histories: replayed, cpuMsPerHistory: (used.user + used.system) / 1000 / replayed })}\n`);
}

main().catch((err: unknown) => {
  console.error(err);
  process.exit(1);
});
