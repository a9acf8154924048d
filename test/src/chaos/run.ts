// `npm run chaos -- --minutes 10 --registers 16 --seed 1`: a bounded chaos run on loopback.
// Prints progress, each fault with the longest wait for a PUT's answer after it, then one line
// "N payments, K no register learnt of at the acquirer, M mismatches, longest PUT wait after a worker kill W ms";
// exits 1 on any mismatch (each of the K is one).
import { type ChaosOptions, USAGE, parseArgs } from './options';
import { runChaos } from './run-chaos';

async function main(): Promise<void> {
  const argv = process.argv.slice(2);
  if (argv.includes('--help') || argv.includes('-h')) {
    console.log(USAGE);
    process.exit(0);
  }
  let options: ChaosOptions;
  try {
    options = parseArgs(argv);
  } catch (err) {
    // A usage error is one line and the usage, not a stack trace.
    console.error(`[chaos] ${err instanceof Error ? err.message : String(err)}\n${USAGE}`);
    process.exit(2);
  }
  const result = await runChaos(options);
  for (const m of result.mismatches.slice(0, 50)) console.error(`[chaos] MISMATCH ${m.paymentid ?? '-'} ${m.what}`);
  if (result.mismatches.length > 50) console.error(`[chaos] … and ${result.mismatches.length - 50} more`);
  console.log(
    `${result.payments} payments, ${result.orphansAtAcquirer} no register learnt of at the acquirer, ${result.mismatches.length} mismatches, ` +
      `longest PUT wait after a worker kill ${result.longestPutWaitAfterWorkerKillMs} ms`,
  );
  process.exit(result.mismatches.length === 0 ? 0 : 1);
}

main().catch((err: unknown) => {
  console.error(`[chaos] ${err instanceof Error ? (err.stack ?? err.message) : String(err)}`);
  process.exit(2);
});
