import type { KneeResult } from './knee';
import type { MemoryResult } from './memory-stage';
import type { ScenarioResult } from './scenario';
import { median, round } from './stats';
import { WORK_FIGURES } from './work-counts';

/** One scenario's floor and system figures across repeats: medians, and the median of per-repeat ratios. */
export interface PairSummary {
  repeats: number;
  registers: number;
  floor: Record<string, number>;
  system: Record<string, number>;
  /** system / floor, per repeat, then the median. */
  ratio: Record<string, number>;
  cpuPct: Record<string, number>;
  errorsTotal: { floor: number; system: number };
}

const FIGURES: [string, (r: ScenarioResult) => number][] = [
  ['GET p50', (r) => r.routes.GET.p50],
  ['GET p90', (r) => r.routes.GET.p90],
  ['GET p99', (r) => r.routes.GET.p99],
  ['GET max', (r) => r.routes.GET.max],
  ['POST p50', (r) => r.routes.POST.p50],
  ['POST p99', (r) => r.routes.POST.p99],
  ['POST max', (r) => r.routes.POST.max],
  ['PUT p50', (r) => r.routes.PUT.p50],
  ['PUT p99', (r) => r.routes.PUT.p99],
  ['PUT max', (r) => r.routes.PUT.max],
  ['errors', (r) => r.errors],
  ['completed/s', (r) => r.completedPerS],
  ['requests/s', (r) => r.requestsPerS],
  ['approval→ready p50', (r) => r.approvalToReady.p50],
  ['approval→ready p99', (r) => r.approvalToReady.p99],
  ['stale read after approval max', (r) => r.staleReadAfterApprovalMs.max],
  ['late starts (>100 ms)', (r) => r.schedule?.behind ?? NaN],
  ['GET bytes', (r) => r.routes.GET.meanBytes],
  ['machine busy %', (r) => r.cpu.machineBusyPct],
  ['others\' CPU %', (r) => r.cpu.othersPct],
  ['load avg before', (r) => r.loadAverage.before[0] ?? NaN],
  ...WORK_FIGURES,
];

export function summarizePair(pairs: { floor: ScenarioResult; system: ScenarioResult }[]): PairSummary {
  const med = (f: (r: ScenarioResult) => number, which: 'floor' | 'system') => round(median(pairs.map((p) => f(p[which]))));
  const floor: Record<string, number> = {};
  const system: Record<string, number> = {};
  const ratio: Record<string, number> = {};
  for (const [name, f] of FIGURES) {
    floor[name] = med(f, 'floor');
    system[name] = med(f, 'system');
  }
  for (const name of ['GET p50', 'GET p99', 'POST p99', 'PUT p99', 'completed/s']) {
    const f = FIGURES.find(([n]) => n === name)?.[1] as (r: ScenarioResult) => number;
    ratio[name] = round(median(pairs.map((p) => f(p.system) / f(p.floor))));
  }
  const cpuPct: Record<string, number> = {};
  const names = new Set(pairs.flatMap((p) => Object.keys(p.system.cpu.perProcess)));
  for (const n of names) cpuPct[n] = round(median(pairs.map((p) => p.system.cpu.perProcess[n] ?? NaN)), 1);
  cpuPct['floor server'] = round(median(pairs.map((p) => p.floor.cpu.perProcess.floor ?? NaN)), 1);
  cpuPct['loadgen (floor run)'] = round(median(pairs.map((p) => p.floor.cpu.perProcess.loadgen ?? NaN)), 1);
  return {
    repeats: pairs.length,
    registers: pairs[0]?.system.registers ?? 0,
    floor,
    system,
    ratio,
    cpuPct,
    errorsTotal: { floor: pairs.reduce((a, p) => a + p.floor.errors, 0), system: pairs.reduce((a, p) => a + p.system.errors, 0) },
  };
}

export interface Target {
  what: string;
  value: number;
  target: string;
  ok: boolean;
}

/** The issue's targets against the medians. */
export function targets(offered: PairSummary | null, stress: PairSummary | null, knee: KneeResult | null): Target[] {
  const out: Target[] = [];
  if (offered) {
    const s = offered.system;
    out.push({ what: 'offered: errors (all repeats)', value: offered.errorsTotal.system, target: '= 0', ok: offered.errorsTotal.system === 0 });
    out.push({ what: 'offered: GET p99 ms', value: s['GET p99'] ?? NaN, target: '≤ 25', ok: (s['GET p99'] ?? Infinity) <= 25 });
    out.push({ what: 'offered: POST p99 ms', value: s['POST p99'] ?? NaN, target: '≤ 100', ok: (s['POST p99'] ?? Infinity) <= 100 });
    out.push({ what: 'offered: PUT p99 ms', value: s['PUT p99'] ?? NaN, target: '≤ 100', ok: (s['PUT p99'] ?? Infinity) <= 100 });
    const share = offered.ratio['completed/s'] ?? NaN;
    out.push({ what: 'offered: completed/s vs floor', value: share, target: '≥ 0.95', ok: share >= 0.95 });
    const late = s['late starts (>100 ms)'] ?? NaN;
    out.push({ what: 'offered: registers behind schedule', value: late, target: '= 0', ok: late === 0 });
  }
  if (stress) {
    const c = stress.system['completed/s'] ?? NaN;
    out.push({ what: 'stress: completed payments/s sustained', value: c, target: '≥ 50', ok: c >= 50 });
    out.push({ what: 'stress: errors (all repeats)', value: stress.errorsTotal.system, target: '= 0', ok: stress.errorsTotal.system === 0 });
  }
  if (knee) out.push({ what: `knee: registers with GET p99 < ${knee.limitMs} ms`, value: knee.knee ?? 0, target: '(reported)', ok: true });
  return out;
}

const pad = (s: string, n: number) => (s.length >= n ? s : s + ' '.repeat(n - s.length));
const lpad = (s: string, n: number) => (s.length >= n ? s : ' '.repeat(n - s.length) + s);
const fmt = (n: number | undefined) => (n === undefined || !Number.isFinite(n) ? '–' : Math.abs(n) >= 100 ? String(Math.round(n)) : String(round(n, 1)));

/** A compact text table of one scenario. */
export function pairTable(title: string, p: PairSummary): string {
  const cols = ['GET p50', 'GET p90', 'GET p99', 'GET max', 'POST p50', 'POST p99', 'PUT p50', 'PUT p99', 'errors', 'completed/s', 'approval→ready p50', 'approval→ready p99'];
  const heads = ['GET p50', 'p90', 'p99', 'max', 'POST p50', 'p99', 'PUT p50', 'p99', 'err', 'done/s', 'appr→rdy p50', 'p99'];
  const w = 9;
  const lines = [title, `${pad('', 8)}${heads.map((h) => lpad(h, h.length > w ? h.length + 1 : w)).join('')}`];
  const row = (name: string, vals: Record<string, number>) =>
    `${pad(name, 8)}${cols.map((c, i) => lpad(fmt(vals[c]), (heads[i] as string).length > w ? (heads[i] as string).length + 1 : w)).join('')}`;
  lines.push(row('floor', p.floor), row('system', p.system));
  lines.push(
    `${pad('ratio', 8)}${cols.map((c, i) => lpad(p.ratio[c] !== undefined ? `×${fmt(p.ratio[c])}` : '', (heads[i] as string).length > w ? (heads[i] as string).length + 1 : w)).join('')}`,
  );
  lines.push(`        CPU % of one core: ${Object.entries(p.cpuPct).map(([k, v]) => `${k} ${fmt(v)}`).join(', ')}`);
  lines.push(`        machine busy ${fmt(p.system['machine busy %'])}% (others ${fmt(p.system["others' CPU %"])}%), load avg before ${fmt(p.system['load avg before'])}, GET body ${fmt(p.system['GET bytes'])} B (floor ${fmt(p.floor['GET bytes'])} B)`);
  return lines.join('\n');
}

export function memoryTable(m: MemoryResult): string {
  const names = Object.keys(m.points[0]?.rssMiB ?? {});
  const lines = [`memory, payments held ${m.hold}, each polled every ${m.pollEveryS} s (RSS MiB; heap = main-thread V8 heap used)`];
  lines.push(`${pad('open', 8)}${names.map((n) => lpad(n, 12)).join('')}${lpad('api heap', 12)}${lpad('worker heap', 13)}`);
  for (const p of m.points) {
    lines.push(`${pad(String(p.open), 8)}${names.map((n) => lpad(fmt(p.rssMiB[n]), 12)).join('')}${lpad(fmt(p.heapUsedMiB.api), 12)}${lpad(fmt(p.heapUsedMiB.worker), 13)}`);
  }
  lines.push(`${pad('KiB/open', 8)}${names.map((n) => lpad(fmt(m.perOpenPaymentKiB[n]), 12)).join('')}`);
  return lines.join('\n');
}

export function kneeTable(k: KneeResult): string {
  const lines = [`knee (closed loop): largest register count with GET p99 < ${k.limitMs} ms = ${k.knee ?? 'none'}`];
  lines.push(`${lpad('registers', 10)}${lpad('GET p50', 9)}${lpad('GET p99', 9)}${lpad('POST p99', 10)}${lpad('PUT p99', 9)}${lpad('done/s', 8)}${lpad('errors', 8)}${lpad('busy %', 8)}`);
  for (const s of k.steps) {
    lines.push(`${lpad(String(s.registers), 10)}${lpad(fmt(s.getP50), 9)}${lpad(fmt(s.getP99), 9)}${lpad(fmt(s.postP99), 10)}${lpad(fmt(s.putP99), 9)}${lpad(fmt(s.completedPerS), 8)}${lpad(String(s.errors), 8)}${lpad(fmt(s.machineBusyPct), 8)}`);
  }
  return lines.join('\n');
}

export function targetsTable(t: Target[]): string {
  return ['targets', ...t.map((x) => `  ${x.ok ? 'met   ' : 'MISSED'} ${pad(x.what, 44)} ${lpad(fmt(x.value), 8)}  ${x.target}`)].join('\n');
}

/** The server's and worker's own view of the measured part, a few lines. */
export function whereTable(title: string, w: NonNullable<ScenarioResult['whereTimeWent']>): string {
  const line = (h: { name: string; count: number; meanMs: number; p99LeMs: number; totalS: number }) =>
    `    ${pad(h.name.slice(0, 90), 92)} n=${lpad(String(h.count), 6)} mean ${lpad(fmt(h.meanMs), 6)} ms  p99 ≤ ${lpad(fmt(h.p99LeMs), 5)} ms  total ${fmt(h.totalS)} s`;
  return [
    title,
    '  Temporal frontend (per call):',
    ...w.temporalFrontend.slice(0, 5).map(line),
    '  Temporal persistence (SQLite):',
    ...w.temporalPersistence.slice(0, 5).map(line),
    '  Temporal locks and caches:',
    ...w.temporalLocks.slice(0, 3).map(line),
    '  worker (SDK metrics):',
    ...w.worker.slice(0, 6).map(line),
    `  worker counters: ${Object.entries(w.workerCounters).map(([k, v]) => `${k.replace(/\{.*\}/, '')} ${v}`).join(', ') || '–'}`,
  ].join('\n');
}
