// npm run bench: the whole service under simulated Sitoo registers, next to a do-nothing floor
// server driven the same way in the same run. See bench/README.md, "The method".
import { spawnSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { htmlPage, type LineChart, type Series } from './chart';
import { clusterTable, runClusterStage, type ClusterStageRow } from './cluster-stage';
import { Floor } from './floor';
import { findKnee, type KneeResult } from './knee';
import { measureMemory, memoryEnv, type MemoryResult } from './memory-stage';
import { USAGE, parseOptions, type BenchOptions } from './options';
import { overloadTable, runOverload, type OverloadResult } from './overload';
import { loadAverage } from './proc';
import { summarizeProfile, type ProfileSummary } from './profile-summary';
import { platformTable, runPlatformStage, type PlatformRow } from './platform-stage';
import { replayTable, runReplayStage, type ReplayResult } from './replay-stage';
import { runStripeStage, stripeTable, type StripeStageResult } from './stripe-stage';
import type { LoadOptions } from './registers';
import { kneeTable, memoryTable, pairTable, summarizePair, targets, targetsTable, whereTable, type PairSummary } from './report';
import { runScenario, simulatorApprovals, type ScenarioResult, type Target } from './scenario';
import { SystemUnderTest } from './system';
import { workTable } from './work-counts';

const log = (line: string) => process.stderr.write(`[bench] ${line}\n`);

/** What is running now, so Ctrl-C (or a SIGTERM) stops it instead of leaving processes behind. */
const running = new Set<{ stop(): Promise<void> }>();
for (const signal of ['SIGINT', 'SIGTERM'] as const) {
  process.once(signal, () => {
    log(`${signal}: stopping what runs`);
    void Promise.allSettled([...running].map((r) => r.stop())).then(() => process.exit(130));
  });
}

/** Starts the system, and keeps it in `running` until it is stopped. */
async function startSystem(options: Parameters<typeof SystemUnderTest.start>[0]): Promise<SystemUnderTest> {
  const sys = await SystemUnderTest.start(options);
  const entry = { stop: () => sys.stop() };
  running.add(entry);
  const stop = sys.stop.bind(sys);
  sys.stop = async () => {
    running.delete(entry);
    await stop();
  };
  return sys;
}
const sleep = (ms: number) => new Promise<void>((r) => setTimeout(r, ms));

function systemTarget(sys: SystemUnderTest): Target {
  return {
    name: 'system',
    url: sys.apiUrl,
    credential: sys.credential,
    pids: sys.pids(),
    approvals: () => simulatorApprovals(sys.simUrl),
    metrics: { temporal: sys.temporalMetricsUrl, worker: sys.workerMetricsUrl },
    history: { cliPath: sys.cliPath, address: sys.temporalAddress },
  };
}

/** Waits until the 1-min load average is below the bar, so figures are not taken while others use the CPU. */
async function waitQuiet(o: BenchOptions): Promise<number> {
  const until = Date.now() + o.quietMaxWaitS * 1000;
  for (;;) {
    const [one] = loadAverage();
    if (o.quietBelow <= 0 || one < o.quietBelow) return one;
    if (Date.now() > until) {
      log(`load average still ${one} after ${o.quietMaxWaitS} s: going on (the figures say so)`);
      return one;
    }
    log(`load average ${one} ≥ ${o.quietBelow}: waiting 20 s`);
    await sleep(20_000);
  }
}

const logScenario = (r: ScenarioResult) =>
  log(
    `  ${r.mode} ${r.target}: GET p50 ${r.routes.GET.p50} p99 ${r.routes.GET.p99} max ${r.routes.GET.max} | POST p99 ${r.routes.POST.p99} | PUT p99 ${r.routes.PUT.p99} ms | ${r.completedPerS} completed/s | ${r.errors} errors | CPU ${JSON.stringify(r.cpu.perProcess)} busy ${r.cpu.machineBusyPct}% others ${r.cpu.othersPct}%`,
  );

async function main(): Promise<void> {
  const resultsDir = path.resolve(__dirname, '..', 'results');
  const argv = process.argv.slice(2);
  // Asked for, the usage is an answer (stdout, exit 0); a wrong option still gets it on stderr with 2.
  if (argv.includes('--help') || argv.includes('-h')) {
    process.stdout.write(`${USAGE}\n`);
    process.exit(0);
  }
  let o: BenchOptions;
  try {
    o = parseOptions(argv, resultsDir);
  } catch (err) {
    process.stderr.write(`${(err as Error).message}\n`);
    process.exit(2);
  }
  const stamp = new Date().toISOString().replace(/[:.]/g, '-');
  const runDir = fs.mkdtempSync(path.join(os.tmpdir(), 'payments-bench-'));
  const startedAt = new Date().toISOString();
  const load = (registers: number, mode: LoadOptions['mode']): Omit<LoadOptions, 'durationMs'> => ({
    registers,
    mode,
    intervalMs: 2000,
    pollMs: 250,
    cancelAfterMs: 100,
    mix: o.mix,
    seed: o.seed,
  });
  const sysOptions = (name: string, env: Record<string, string> = {}) => ({
    dir: path.join(runDir, name),
    env: { SIM_APPROVE_DELAY_MS: String(o.approveDelayMs), ...o.env, ...env },
    temporalArgs: o.temporalArgs,
    temporalInMemory: o.temporalInMemory,
    cpuProfile: o.cpuProfile,
    log,
  });
  log(`run folder ${runDir}; load average ${loadAverage().join(' ')}`);

  const repeats: { offered?: { floor: ScenarioResult; system: ScenarioResult }; stress?: { floor: ScenarioResult; system: ScenarioResult } }[] = [];
  const profiles: ProfileSummary[] = [];
  const floor = await Floor.start(o.approveDelayMs);
  running.add(floor);
  let knee: KneeResult | null = null;
  let memory: MemoryResult | null = null;
  let cluster: ClusterStageRow[] | null = null;
  let overload: OverloadResult | null = null;
  let replay: ReplayResult | null = null;
  let platform: PlatformRow[] | null = null;
  const stripe: StripeStageResult[] = [];
  try {
    const timing = { warmupS: o.warmupS, durationS: o.durationS };
    for (let r = 0; r < o.repeat && (o.stages.includes('offered') || o.stages.includes('stress')); r++) {
      const quiet = await waitQuiet(o);
      log(`repeat ${r + 1}/${o.repeat}: load average ${quiet}; starting the system`);
      const sys = await startSystem(sysOptions(`repeat-${r + 1}`));
      const rep: (typeof repeats)[number] = {};
      try {
        for (const mode of ['offered', 'stress'] as const) {
          if (!o.stages.includes(mode)) continue;
          const l = load(o.registers, mode === 'offered' ? 'offered' : 'closed');
          const f = await runScenario(floor.target(), l, timing);
          logScenario(f);
          const s = await runScenario(systemTarget(sys), l, timing);
          logScenario(s);
          rep[mode] = { floor: f, system: s };
        }
      } finally {
        await sys.stop();
      }
      repeats.push(rep);
      if (o.cpuProfile) {
        const dir = path.join(runDir, `repeat-${r + 1}`, 'profiles');
        for (const app of fs.existsSync(dir) ? fs.readdirSync(dir) : []) {
          for (const f of fs.readdirSync(path.join(dir, app))) profiles.push(summarizeProfile(path.join(dir, app, f)));
        }
      }
    }
    if (o.stages.includes('knee')) {
      await waitQuiet(o);
      log('knee: starting a fresh system');
      const sys = await startSystem(sysOptions('knee'));
      try {
        knee = await findKnee(systemTarget(sys), load(o.kneeFrom, 'closed'), { from: o.kneeFrom, max: o.kneeMax, durationS: o.kneeDurationS, limitMs: o.kneeLimitMs }, log);
      } finally {
        await sys.stop();
      }
    }
    if (o.stages.includes('memory')) {
      await waitQuiet(o);
      log(`memory: starting a fresh system, payments held ${o.memoryHold}`);
      const sys = await startSystem({ ...sysOptions('memory', memoryEnv(o.memoryHold)), cpuProfile: false });
      try {
        memory = await measureMemory(sys, o.memoryCounts, o.memoryHold, o.memoryPollS, log);
      } finally {
        await sys.stop();
      }
    }
    if (o.stages.includes('overload')) {
      await waitQuiet(o);
      log('overload: starting a fresh system');
      const sys = await startSystem(sysOptions('overload'));
      try {
        overload = await runOverload(systemTarget(sys), load(o.overloadFrom, 'closed'), { from: o.overloadFrom, max: o.kneeMax, peak: o.overloadPeak, durationS: o.overloadDurationS }, log);
      } finally {
        await sys.stop();
      }
    }
    if (o.stages.includes('replay')) {
      await waitQuiet(o);
      replay = runReplayStage(10, log);
    }
    if (o.stages.includes('platform')) {
      await waitQuiet(o);
      const l = load(o.registers, 'offered');
      const rate = (l.registers * 1000) / l.intervalMs;
      log(`platform: a fresh dev server, workflows with no payment code at ${rate}/s`);
      platform = await runPlatformStage({
        dir: path.join(runDir, 'platform'),
        rate,
        warmupS: o.warmupS,
        durationS: o.durationS,
        approveDelayMs: o.approveDelayMs,
        temporal: { temporalArgs: o.temporalArgs, temporalInMemory: o.temporalInMemory },
        log,
      });
    }
    if (o.stages.includes('stripe')) {
      await waitQuiet(o);
      const { env, ...system } = sysOptions('stripe');
      for (const method of ['card', 'swish'] as const) {
        if (method === 'swish') await waitQuiet(o);
        stripe.push(await runStripeStage({ method, system: { ...system, env }, registers: o.stripeRegisters, sales: o.stripeSales, seed: o.seed, log }));
      }
    }
    if (o.stages.includes('cluster')) {
      await waitQuiet(o);
      const env = { SIM_APPROVE_DELAY_MS: String(o.approveDelayMs), ...o.env };
      cluster = await runClusterStage({ dir: path.join(runDir, 'cluster'), env, load: (mode) => load(o.registers, mode), timing: { warmupS: o.warmupS, durationS: o.durationS }, log });
    }
  } finally {
    await floor.stop();
    running.delete(floor);
  }

  const pairs = (mode: 'offered' | 'stress') => repeats.map((r) => r[mode]).filter((p): p is { floor: ScenarioResult; system: ScenarioResult } => !!p);
  const offered: PairSummary | null = pairs('offered').length ? summarizePair(pairs('offered')) : null;
  const stress: PairSummary | null = pairs('stress').length ? summarizePair(pairs('stress')) : null;
  const goals = targets(offered, stress, knee);
  const machine = {
    cpus: os.cpus().length,
    cpuModel: os.cpus()[0]?.model ?? '',
    memoryGiB: Math.round(os.totalmem() / 2 ** 30),
    kernel: os.release(),
    node: process.version,
  };
  const tables = [
    `Sitoo payments bench ${startedAt}${o.label ? ` — ${o.label}` : ''}`,
    `machine: ${machine.cpus} × ${machine.cpuModel}, ${machine.memoryGiB} GiB, Linux ${machine.kernel}, Node ${machine.node}; everything on it`,
    `${o.registers} registers, ${o.warmupS} s warm-up + ${o.durationS} s measured, ${repeats.length} repeat(s), medians; mix ${JSON.stringify(o.mix)}`,
    offered ? pairTable(`\noffered load: each register starts a payment every 2 s (${o.registers / 2}/s offered); latency ms`, offered) : '',
    stress ? pairTable(`\nstress: closed loop, ${o.registers} registers; latency ms`, stress) : '',
    offered ? workTable('\noffered load: the work per completed payment (medians)', offered.system) : '',
    ...(['offered', 'stress'] as const).map((mode) => {
      const w = repeats.at(-1)?.[mode]?.system.whereTimeWent;
      return w ? `\n${whereTable(`where the time went: ${mode}, last repeat, measured part (Temporal server and worker metrics)`, w)}` : '';
    }),
    knee ? `\n${kneeTable(knee)}` : '',
    memory ? `\n${memoryTable(memory)}` : '',
    cluster ? `\n${clusterTable(cluster)}` : '',
    overload ? `\n${overloadTable(overload)}` : '',
    replay ? `\n${replayTable(replay)}` : '',
    platform ? `\n${platformTable(platform)}` : '',
    ...stripe.map((r) => `\n${stripeTable(r)}`),
    `\n${targetsTable(goals)}`,
  ]
    .filter(Boolean)
    .join('\n');

  const result = {
    startedAt,
    label: o.label,
    command: `npm run bench -- ${process.argv.slice(2).join(' ')}`.trim(),
    machine,
    options: o,
    summary: { offered, stress },
    targets: goals,
    knee,
    memory,
    cluster,
    overload,
    replay,
    platform,
    stripe,
    profiles,
    repeats,
  };
  fs.mkdirSync(o.outDir, { recursive: true });
  const jsonFile = path.join(o.outDir, `${stamp}.json`);
  fs.writeFileSync(jsonFile, `${JSON.stringify(result, null, 1)}\n`);
  const htmlFile = path.join(o.outDir, `${stamp}.html`);
  fs.writeFileSync(htmlFile, htmlPage(`Sitoo payments bench ${startedAt}`, [result.command], charts(repeats[0], knee), tables));
  const pngFile = renderPng(htmlFile, 300 + 340 * (Number(!!offered) + Number(!!stress) + Number(!!knee)) + 18 * tables.split('\n').length);
  if (!o.keep) fs.rmSync(runDir, { recursive: true, force: true });

  process.stdout.write(`${tables}\n`);
  for (const p of profiles) {
    process.stdout.write(`\nCPU profile ${path.basename(path.dirname(p.file))}/${path.basename(p.file)} (${p.sampledS} s): ${p.byPlace.slice(0, 10).map((x) => `${x.place} ${x.pct}%`).join(', ')}\n`);
    for (const f of p.topFunctions.slice(0, 12)) process.stdout.write(`  ${String(f.pct).padStart(5)}%  ${f.fn}\n`);
  }
  process.stdout.write(`\nresults: ${path.relative(process.cwd(), jsonFile)}\nchart:   ${path.relative(process.cwd(), htmlFile)}${pngFile ? ` (and ${path.relative(process.cwd(), pngFile)})` : ''}${o.keep ? `\nrun folder: ${runDir}` : ''}\n`);
}

/** The chart as a PNG too, when a headless Chromium is at hand (optional: the HTML is the chart). */
function renderPng(htmlFile: string, height: number): string | null {
  const png = htmlFile.replace(/\.html$/, '.png');
  for (const browser of ['chromium', 'chromium-browser', 'google-chrome']) {
    const r = spawnSync(browser, ['--headless', '--disable-gpu', '--no-sandbox', '--hide-scrollbars', `--screenshot=${png}`, `--window-size=1000,${height}`, `file://${path.resolve(htmlFile)}`], {
      stdio: 'ignore',
      timeout: 60_000,
    });
    if (r.status === 0 && fs.existsSync(png)) return png;
  }
  return null;
}

const COLORS = { floor: '#999', system: '#1f5fbf', post: '#d98b00', put: '#2a9d4b' };

/** Latency over time (the first repeat) and the knee. */
function charts(rep: { offered?: { floor: ScenarioResult; system: ScenarioResult }; stress?: { floor: ScenarioResult; system: ScenarioResult } } | undefined, knee: KneeResult | null): LineChart[] {
  const out: LineChart[] = [];
  for (const mode of ['offered', 'stress'] as const) {
    const pair = rep?.[mode];
    if (!pair) continue;
    const line = (r: ScenarioResult, route: 'GET' | 'POST' | 'PUT', key: 'p50' | 'p99' | 'max', name: string, color: string, dashed = false): Series => ({
      name,
      color,
      dashed,
      points: r.series.filter((s) => s.route === route).map((s) => [s.t, s[key]]),
    });
    out.push({
      title: `${mode === 'offered' ? 'Offered load' : 'Stress (closed loop)'}, ${pair.system.registers} registers: latency per second (first repeat)`,
      xLabel: 'seconds since start (warm-up included)',
      yLabel: 'ms (log)',
      logY: true,
      marks: mode === 'offered' ? [{ y: 25, label: 'GET p99 target 25 ms' }, { y: 100, label: 'POST/PUT p99 target 100 ms' }] : [{ y: 250, label: '250 ms' }],
      xMarks: [
        { x: pair.system.warmupS, label: 'measured from here' },
        { x: pair.system.warmupS + pair.system.durationS, label: 'to here' },
      ],
      series: [
        line(pair.system, 'GET', 'p99', 'system GET p99', COLORS.system),
        line(pair.system, 'GET', 'p50', 'system GET p50', COLORS.system, true),
        line(pair.system, 'POST', 'p99', 'system POST p99', COLORS.post),
        line(pair.system, 'PUT', 'p99', 'system PUT p99', COLORS.put),
        line(pair.floor, 'GET', 'p99', 'floor GET p99', COLORS.floor),
        line(pair.floor, 'GET', 'p50', 'floor GET p50', COLORS.floor, true),
      ],
    });
  }
  if (knee && knee.steps.length) {
    out.push({
      title: 'Knee: closed-loop registers vs GET latency',
      xLabel: 'registers',
      yLabel: 'ms (log)',
      logY: true,
      marks: [{ y: knee.limitMs, label: `${knee.limitMs} ms` }],
      series: [
        { name: 'GET p99', color: COLORS.system, points: knee.steps.map((s) => [s.registers, s.getP99]) },
        { name: 'GET p50', color: COLORS.system, dashed: true, points: knee.steps.map((s) => [s.registers, s.getP50]) },
        { name: 'PUT p99', color: COLORS.put, points: knee.steps.map((s) => [s.registers, s.putP99]) },
      ],
    });
  }
  return out;
}

main().catch((err: unknown) => {
  process.stderr.write(`[bench] failed: ${err instanceof Error ? (err.stack ?? err.message) : String(err)}\n`);
  process.exit(1);
});
