import { DEFAULT_MIX, type Mix, type PaymentKind } from './registers';

export const STAGES = ['offered', 'stress', 'knee', 'memory', 'overload', 'replay', 'platform', 'stripe', 'cluster'] as const;
export type Stage = (typeof STAGES)[number];

/** Everything `npm run bench -- …` can set. */
export interface BenchOptions {
  registers: number;
  warmupS: number;
  durationS: number;
  repeat: number;
  stages: Stage[];
  mix: Mix;
  seed: number;
  approveDelayMs: number;
  kneeFrom: number;
  kneeMax: number;
  kneeDurationS: number;
  kneeLimitMs: number;
  memoryCounts: number[];
  memoryHold: 'inprogress' | 'ready';
  memoryPollS: number;
  /** Overload stage: the registers at the peak (0: find it by a ramp from overloadFrom), seconds measured per load. */
  overloadPeak: number;
  overloadFrom: number;
  overloadDurationS: number;
  /** Stripe stage: registers (one reader each) and card sales per register. */
  stripeRegisters: number;
  stripeSales: number;
  /** Extra environment for the apps, KEY=VALUE. */
  env: Record<string, string>;
  temporalArgs: string[];
  temporalInMemory: boolean;
  cpuProfile: boolean;
  /** Wait until the 1-min load average is below this before each repeat (0: do not wait). */
  quietBelow: number;
  quietMaxWaitS: number;
  label: string;
  outDir: string;
  keep: boolean;
}

export const USAGE = `npm run bench -- [options]
  --registers N          simulated registers (default 100)
  --duration S           measured seconds per scenario (default 30), after --warmup S (default 10)
  --repeat N             fresh system per repeat; figures are medians (default 1)
  --stages LIST          offered,stress,knee,memory,overload,replay,platform,stripe,cluster (default all but
                         cluster: it builds and runs Temporal on PostgreSQL); platform drives
                         workflows with no payment code at the offered stage's rate (--registers ÷ 2 /s)
  --mix K=V,...          sale, cancel-ready, cancel-inprogress, refund, silent (default 0.8/0.05 each)
  --knee-from N --knee-max N --knee-duration S --knee-limit MS   knee search (100, 3000, 20, 250)
  --memory-counts A,B    open payments to measure memory at (default 100,1000)
  --memory-hold inprogress|ready   how payments are held open (default inprogress)
  --overload-peak N --overload-from N --overload-duration S   overload stage: registers at the peak
                         (default: found by a ramp ×1.5 from 25), seconds per load (20)
  --stripe-registers N --stripe-sales N   stripe stage: registers on one Stripe account, card
                         sales each, one after another (default 3, 10: within the account's budget)
  --env KEY=VALUE        extra environment for API, worker and simulator (repeatable)
  --temporal-arg ARG     extra argument for temporal server start-dev (repeatable)
  --temporal-in-memory   dev server without its SQLite file (comparison only)
  --cpu-profile          V8 CPU profiles of the API and worker (written to the run folder, summarised)
  --quiet-below L        wait (up to --quiet-wait S, default 1800) for 1-min load < L before each repeat
  --label TEXT           a name for this run in the results
  --out DIR              where results go (default bench/results)
  --keep                 keep the run folder (logs, SQLite, profiles)`;

function parseMix(text: string): Mix {
  const mix: Mix = { sale: 0, 'cancel-ready': 0, 'cancel-inprogress': 0, refund: 0, silent: 0 };
  for (const part of text.split(',')) {
    const [k, v] = part.split('=');
    if (!k || !(k in mix) || v === undefined || !Number.isFinite(Number(v))) throw new Error(`--mix: bad entry "${part}"`);
    mix[k as PaymentKind] = Number(v);
  }
  const sum = Object.values(mix).reduce((a, b) => a + b, 0);
  for (const k of Object.keys(mix) as PaymentKind[]) mix[k] /= sum;
  return mix;
}

export function parseOptions(argv: string[], outDirDefault: string): BenchOptions {
  const o: BenchOptions = {
    registers: 100,
    warmupS: 10,
    durationS: 30,
    repeat: 1,
    stages: STAGES.filter((s) => s !== 'cluster'),
    mix: { ...DEFAULT_MIX },
    seed: 1,
    approveDelayMs: 200,
    kneeFrom: 100,
    kneeMax: 3000,
    kneeDurationS: 20,
    kneeLimitMs: 250,
    memoryCounts: [100, 1000],
    memoryHold: 'inprogress',
    memoryPollS: 5,
    overloadPeak: 0,
    overloadFrom: 25,
    overloadDurationS: 20,
    stripeRegisters: 3,
    stripeSales: 10,
    env: {},
    temporalArgs: [],
    temporalInMemory: false,
    cpuProfile: false,
    quietBelow: 0,
    quietMaxWaitS: 1800,
    label: '',
    outDir: outDirDefault,
    keep: false,
  };
  const args = [...argv];
  const num = (name: string, v: string | undefined): number => {
    const n = Number(v);
    if (v === undefined || !Number.isFinite(n) || n < 0) throw new Error(`${name} needs a number`);
    return n;
  };
  while (args.length) {
    const a = args.shift() as string;
    const [flag, inline] = a.includes('=') && a.startsWith('--') ? [a.slice(0, a.indexOf('=')), a.slice(a.indexOf('=') + 1)] : [a, undefined];
    const value = () => inline ?? args.shift();
    switch (flag) {
      case '--registers': o.registers = num(flag, value()); break;
      case '--duration': o.durationS = num(flag, value()); break;
      case '--warmup': o.warmupS = num(flag, value()); break;
      case '--repeat': o.repeat = Math.max(1, num(flag, value())); break;
      case '--stages': o.stages = (value() ?? '').split(',').filter(Boolean).map((s) => {
        if (!(STAGES as readonly string[]).includes(s)) throw new Error(`--stages: unknown stage "${s}"`);
        return s as Stage;
      }); break;
      case '--mix': o.mix = parseMix(value() ?? ''); break;
      case '--seed': o.seed = num(flag, value()); break;
      case '--approve-delay': o.approveDelayMs = num(flag, value()); break;
      case '--knee-from': o.kneeFrom = num(flag, value()); break;
      case '--knee-max': o.kneeMax = num(flag, value()); break;
      case '--knee-duration': o.kneeDurationS = num(flag, value()); break;
      case '--knee-limit': o.kneeLimitMs = num(flag, value()); break;
      case '--memory-counts': o.memoryCounts = (value() ?? '').split(',').map((v) => num(flag, v)); break;
      case '--memory-hold': {
        const v = value();
        if (v !== 'inprogress' && v !== 'ready') throw new Error('--memory-hold is inprogress or ready');
        o.memoryHold = v;
        break;
      }
      case '--memory-poll': o.memoryPollS = num(flag, value()); break;
      case '--overload-peak': o.overloadPeak = num(flag, value()); break;
      case '--overload-from': o.overloadFrom = Math.max(1, num(flag, value())); break;
      case '--overload-duration': o.overloadDurationS = num(flag, value()); break;
      case '--stripe-registers': o.stripeRegisters = Math.max(1, num(flag, value())); break;
      case '--stripe-sales': o.stripeSales = Math.max(1, num(flag, value())); break;
      case '--env': {
        const v = value() ?? '';
        const eq = v.indexOf('=');
        if (eq < 1) throw new Error(`--env needs KEY=VALUE, got "${v}"`);
        o.env[v.slice(0, eq)] = v.slice(eq + 1);
        break;
      }
      case '--temporal-arg': o.temporalArgs.push(value() ?? ''); break;
      case '--temporal-in-memory': o.temporalInMemory = true; break;
      case '--cpu-profile': o.cpuProfile = true; break;
      case '--quiet-below': o.quietBelow = num(flag, value()); break;
      case '--quiet-wait': o.quietMaxWaitS = num(flag, value()); break;
      case '--label': o.label = value() ?? ''; break;
      case '--out': o.outDir = value() ?? o.outDir; break;
      case '--keep': o.keep = true; break;
      case '--help': case '-h': throw new Error(USAGE);
      default: throw new Error(`unknown option ${a}\n${USAGE}`);
    }
  }
  return o;
}
