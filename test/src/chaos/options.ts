/** What a chaos run does, and for how long. */
export interface ChaosOptions {
  /** How long the registers start new payments while processes are broken at random. */
  minutes: number;
  /** How many registers run payments side by side. */
  registers: number;
  /** Seeds every random choice: the registers' flows and the faults. */
  seed: number;
  /** Pause between two faults, in ms (a random value in this range). */
  faultGapMs: readonly [number, number];
  /** Longest wait for every workflow to close once the faults stop. */
  settleTimeoutMs: number;
  /** Name of the process logs under test/artifacts/. */
  logName: string;
  /** Progress lines (default: stdout). */
  log: (line: string) => void;
  /** The cluster topology (Temporal on PostgreSQL, two workers, two APIs) instead of one of each on the dev server. */
  cluster: boolean;
}

export const DEFAULTS: ChaosOptions = {
  minutes: 10,
  registers: 16,
  seed: 1,
  faultGapMs: [4_000, 15_000],
  settleTimeoutMs: 5 * 60_000,
  logName: 'chaos',
  log: (line) => console.log(line),
  cluster: false,
};

/** What `npm run chaos -- --help` prints. */
export const USAGE = [
  'npm run chaos -- [--minutes N] [--registers N] [--seed N] [--cluster]',
  `  --minutes N     how long registers start payments while faults are injected (default ${DEFAULTS.minutes})`,
  `  --registers N   registers running payments side by side (default ${DEFAULTS.registers})`,
  `  --seed N        seeds the registers' flows and the faults: the same seed, the same run (default ${DEFAULTS.seed})`,
  '  --cluster       the same chaos on the cluster topology: Temporal on PostgreSQL, two workers, two APIs',
  '  -h, --help',
  'Prints "N payments, K no register learnt of at the acquirer, M mismatches" (each of the K is a mismatch);',
  'exit code 0 with no mismatch, 1 with any, 2 on a usage error.',
  'Process logs: test/artifacts/chaos-*.log.',
].join('\n');

/** `--minutes 10 --registers 16 --seed 7 [--cluster]`: anything not given keeps its default; unknown flags are refused. */
export function parseArgs(argv: readonly string[]): ChaosOptions {
  const options = { ...DEFAULTS };
  for (let i = 0; i < argv.length; i += 2) {
    const flag = argv[i];
    if (flag === '--cluster') {
      options.cluster = true;
      i -= 1; // a flag without a value
      continue;
    }
    const value = Number(argv[i + 1]);
    if (!Number.isFinite(value) || value <= 0) throw new Error(`${flag} needs a positive number`);
    if (flag === '--minutes') options.minutes = value;
    else if (flag === '--registers') options.registers = Math.floor(value);
    else if (flag === '--seed') options.seed = Math.floor(value);
    else throw new Error(`unknown option ${flag}: use --minutes, --registers, --seed, --cluster`);
  }
  return options;
}
