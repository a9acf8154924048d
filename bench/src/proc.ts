import { readFileSync } from 'node:fs';
import { cpus } from 'node:os';

/** Clock ticks per second for /proc/<pid>/stat (USER_HZ, 100 on Linux). */
const HZ = 100;

/** Resident memory of a process from /proc/<pid>/status, in MiB (VmRSS, and its anonymous part). */
export function rssOf(pid: number): { rssMiB: number; anonMiB: number } | null {
  try {
    const status = readFileSync(`/proc/${pid}/status`, 'utf8');
    const kb = (key: string) => Number(new RegExp(`^${key}:\\s+(\\d+) kB`, 'm').exec(status)?.[1] ?? NaN);
    return { rssMiB: round1(kb('VmRSS') / 1024), anonMiB: round1(kb('RssAnon') / 1024) };
  } catch {
    return null;
  }
}

/** CPU seconds a process has used so far (user + system, its own threads). */
export function cpuSecondsOf(pid: number): number {
  try {
    const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
    // The command name may hold spaces: the fields we want come after its closing parenthesis.
    const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
    return (Number(fields[11]) + Number(fields[12])) / HZ;
  } catch {
    return NaN;
  }
}

/** Machine-wide busy and total CPU seconds (all cores) from /proc/stat. */
export function machineCpu(): { busy: number; total: number } {
  const line = readFileSync('/proc/stat', 'utf8').split('\n')[0] ?? '';
  const n = line.trim().split(/\s+/).slice(1).map(Number);
  const idle = (n[3] ?? 0) + (n[4] ?? 0);
  const total = n.reduce((a, b) => a + b, 0);
  return { busy: (total - idle) / HZ, total: total / HZ };
}

/** 1-, 5- and 15-minute load averages. */
export function loadAverage(): [number, number, number] {
  const [a, b, c] = readFileSync('/proc/loadavg', 'utf8').split(' ').map(Number);
  return [a ?? NaN, b ?? NaN, c ?? NaN];
}

export const coreCount = (): number => cpus().length;

const round1 = (n: number) => Math.round(n * 10) / 10;

/** CPU use of named processes over an interval, in % of one core; and the whole machine's, in % of all cores. */
export class CpuMeter {
  private readonly startPids: Map<string, number>;
  private readonly startMachine = machineCpu();
  private readonly startSelf = process.cpuUsage();
  private readonly startedAt = performance.now();

  constructor(private readonly pids: Record<string, number>) {
    this.startPids = new Map(Object.entries(pids).map(([name, pid]) => [name, cpuSecondsOf(pid)]));
  }

  /** % of one core per process (and 'loadgen' for this process), and machine busy % of all cores. */
  read(): { perProcess: Record<string, number>; machineBusyPct: number; othersPct: number } {
    const seconds = (performance.now() - this.startedAt) / 1000;
    const perProcess: Record<string, number> = {};
    let ours = 0;
    for (const [name, pid] of Object.entries(this.pids)) {
      const used = cpuSecondsOf(pid) - (this.startPids.get(name) ?? NaN);
      perProcess[name] = round1((used / seconds) * 100);
      ours += used;
    }
    const self = process.cpuUsage(this.startSelf);
    const selfSeconds = (self.user + self.system) / 1e6;
    perProcess.loadgen = round1((selfSeconds / seconds) * 100);
    ours += selfSeconds;
    const m = machineCpu();
    const busy = m.busy - this.startMachine.busy;
    const total = m.total - this.startMachine.total;
    // Busy time on the machine that none of our processes account for: other people's work.
    return { perProcess, machineBusyPct: round1((busy / total) * 100), othersPct: round1(((busy - ours) / total) * 100) };
  }
}
