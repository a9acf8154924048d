// `npm run reconcile -- [--merchant M] [--from F] [--to T]`: starts the reconciliation workflow
// (the one the daily Schedule starts) on the worker's task queue, waits for it and prints its
// report as JSON on stdout. Without --merchant: every configured merchant. Without --from/--to:
// the day before today in RECONCILIATION_TIME_ZONE. A date (YYYY-MM-DD) is local midnight there.
// Reads the worker's configuration (TEMPORAL_*, RECONCILIATION_*). A failure is one line, exit 1.
import { createRequire } from 'node:module';
import { realpathSync } from 'node:fs';
import { fileURLToPath } from 'node:url';

const require = createRequire(import.meta.url);
const USAGE = 'npm run reconcile -- [--merchant M] [--from YYYY-MM-DD|ISO] [--to YYYY-MM-DD|ISO]';
const OPTIONS = ['--merchant', '--from', '--to'];
const HELP = `
Runs the reconciliation that the daily Schedule runs, now, and prints its report (JSON).
  --merchant M   one merchant (default: every configured merchant)
  --from, --to   the period, both or neither (default: yesterday in RECONCILIATION_TIME_ZONE);
                 a date is local midnight there
Reads the worker's configuration (TEMPORAL_*, RECONCILIATION_*); the report's files go to
RECONCILIATION_REPORT_DIR. A rerun over the same period writes nothing twice.
See docs/operators/reconciliation.md.
`;

class UsageError extends Error {}

/** The options given; an unknown or incomplete one throws a UsageError naming it. */
export function parseArgs(argv) {
  const out = { merchant: null, from: null, to: null, help: false };
  for (let i = 0; i < argv.length; i++) {
    const arg = argv[i];
    if (arg === '--help' || arg === '-h') {
      out.help = true;
      continue;
    }
    if (!OPTIONS.includes(arg)) throw new UsageError(`unknown option ${arg}: use ${OPTIONS.join(', ')}`);
    const value = argv[++i];
    if (value === undefined || value.startsWith('--')) throw new UsageError(`${arg} needs a value`);
    out[arg.slice(2)] = value;
  }
  if ((out.from === null) !== (out.to === null)) throw new UsageError('give both --from and --to, or neither (the day before today)');
  return out;
}

async function main() {
  let args;
  try {
    args = parseArgs(process.argv.slice(2));
  } catch (err) {
    if (!(err instanceof UsageError)) throw err;
    process.stderr.write(`reconcile: ${err.message}\n${USAGE}\n`);
    process.exit(2);
  }
  if (args.help) {
    process.stdout.write(`${USAGE}\n${HELP}`);
    return;
  }
  const { loadWorkerConfig, ConfigError } = require('@payments/config');
  const { Client, Connection, WorkflowFailedError } = require('@temporalio/client');
  const { temporalConnectionOptions } = require('@payments/temporal-connection');
  const { dayBefore, instantOf, periodProblem, canonicalPeriod, reconcileWorkflowId } = require('@payments/workflow');

  let config;
  try {
    config = loadWorkerConfig(process.env);
  } catch (err) {
    if (err instanceof ConfigError) fail(`configuration: ${err.message}`);
    throw err;
  }
  const { timeZone } = config.reconciliation;
  const asked = args.from === null ? dayBefore(Date.now(), timeZone) : { from: instantOf(args.from, timeZone), to: instantOf(args.to, timeZone) };
  const problem = periodProblem(asked);
  if (problem) fail(`bad period: ${problem}`);
  const period = canonicalPeriod(asked);

  const connection = await Connection.connect(temporalConnectionOptions(config)).catch((err) => fail(`Temporal at ${config.temporal.address} does not answer: ${err.message}`));
  try {
    const client = new Client({ connection, namespace: config.temporal.namespace });
    const handle = await client.workflow.start('reconcileWorkflow', {
      workflowId: reconcileWorkflowId(args.merchant, period),
      taskQueue: config.temporal.taskQueue,
      args: [{ merchant: args.merchant, period, timeZone }],
      // A run of the same period still going is waited for, not started twice; a finished one runs again.
      workflowIdConflictPolicy: 'USE_EXISTING',
      workflowIdReusePolicy: 'ALLOW_DUPLICATE',
    });
    process.stderr.write(`reconcile: ${args.merchant ?? 'every merchant'} ${period.from} to ${period.to} (workflow ${handle.workflowId})\n`);
    let result;
    try {
      result = await handle.result();
    } catch (err) {
      if (err instanceof WorkflowFailedError) fail(err.cause?.message ?? err.message);
      throw err;
    }
    process.stdout.write(`${JSON.stringify(result, null, 2)}\n`);
    const flagged = result.flags.length;
    process.stderr.write(`reconcile: ${flagged === 0 ? 'nothing flagged' : `${flagged} flagged`}; report in ${result.files[0] ?? '(none)'}\n`);
  } finally {
    await connection.close();
  }
}

function fail(line) {
  process.stderr.write(`reconcile: ${line}\n`);
  process.exit(1);
}

if (process.argv[1] !== undefined && realpathSync(process.argv[1]) === fileURLToPath(import.meta.url)) {
  main().catch((err) => fail(err instanceof Error ? err.message : String(err)));
}
