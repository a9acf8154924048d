// Breaks the running service at random, one fault at a time: kills (SIGKILL) or stops (SIGTERM)
// the worker, the API or Temporal and starts it again after a while, or takes the acquirer down.
// A process that dies by itself is noted and started again.
import { setAcquirerDown } from '../support/register';
import { sleep, type AppName, type System } from '../support/system';
import type { Random } from './random';

export type FaultTarget = 'worker' | 'api' | 'temporal' | 'acquirer';

/** What the faults need of the running service: one dev server, worker and API (System), or the cluster topology. */
export type Breakable = Pick<
  System,
  'simUrl' | 'killApp' | 'stopApp' | 'startApp' | 'isRunning' | 'killTemporal' | 'stopTemporal' | 'startTemporal' | 'isTemporalRunning'
>;

/** How many faults of each kind were done, and the processes that died without being asked to. */
export interface FaultStats {
  done: Record<FaultTarget, number>;
  unexpectedExits: string[];
  /** Each fault as it began (epoch ms), in order: "kill worker", "stop api", "acquirer down"… */
  timeline: { at: number; what: string; target: FaultTarget; hard: boolean }[];
}

/**
 * For each fault, the longest a register waited for a PUT's answer after it: over the PUTs not yet
 * answered when the fault began, or sent before the next fault, the time from the later of the
 * fault and the PUT's first sending to its answer (a PUT never answered counts until `end`).
 */
export function longestPutWaits<P extends { firstAt: number; answeredAt: number | null }>(timeline: FaultStats['timeline'], puts: P[], end: number) {
  return timeline.map((fault, i) => {
    const next = timeline[i + 1]?.at ?? end;
    let longestMs = 0;
    let longest: P | null = null;
    for (const put of puts) {
      const answeredAt = put.answeredAt ?? end;
      if (answeredAt < fault.at || put.firstAt >= next) continue;
      const waited = answeredAt - Math.max(fault.at, put.firstAt);
      if (waited > longestMs) [longestMs, longest] = [waited, put];
    }
    return { ...fault, longestMs, longest };
  });
}

const TARGETS: readonly (readonly [FaultTarget, number])[] = [
  ['worker', 35],
  ['api', 25],
  ['temporal', 25],
  ['acquirer', 15],
];

/** Seconds since the run started, for log lines. */
const since = (t0: number) => `${((Date.now() - t0) / 1000).toFixed(1)}s`;

export class FaultInjector {
  readonly stats: FaultStats = { done: { worker: 0, api: 0, temporal: 0, acquirer: 0 }, unexpectedExits: [], timeline: [] };
  private stopped = false;

  constructor(
    private readonly system: Breakable,
    private readonly rng: Random,
    private readonly gapMs: readonly [number, number],
    private readonly log: (line: string) => void,
    private readonly t0: number,
  ) {}

  /** Runs faults until `until`, then brings everything back up. */
  async run(until: number): Promise<void> {
    while (!this.stopped && Date.now() < until) {
      await this.pause(this.rng.int(...this.gapMs), until);
      if (Date.now() >= until) break;
      await this.ensureRunning();
      await this.one(this.rng.weighted(TARGETS));
    }
    await this.ensureRunning();
    await setAcquirerDown(this.system.simUrl, false);
  }

  stop(): void {
    this.stopped = true;
  }

  private async pause(ms: number, until: number): Promise<void> {
    const end = Math.min(Date.now() + ms, until);
    while (Date.now() < end) {
      await sleep(Math.min(1000, end - Date.now()));
      await this.ensureRunning();
    }
  }

  private async one(target: FaultTarget): Promise<void> {
    const hard = this.rng.chance(0.7);
    this.stats.done[target] += 1;
    const what = target === 'acquirer' ? 'acquirer down' : `${hard ? 'kill' : 'stop'} ${target}`;
    this.stats.timeline.push({ at: Date.now(), what, target, hard });
    switch (target) {
      case 'acquirer': {
        const ms = this.rng.int(2_000, 15_000);
        this.log(`[chaos] ${since(this.t0)} acquirer down for ${(ms / 1000).toFixed(1)} s`);
        await setAcquirerDown(this.system.simUrl, true, ms);
        await sleep(ms);
        return;
      }
      case 'temporal': {
        const ms = this.rng.int(0, 10_000);
        this.log(`[chaos] ${since(this.t0)} ${hard ? 'kill' : 'stop'} temporal, down ${(ms / 1000).toFixed(1)} s`);
        if (hard) await this.system.killTemporal();
        else await this.system.stopTemporal();
        await sleep(ms);
        await this.system.startTemporal();
        return;
      }
      case 'worker':
      case 'api': {
        const ms = this.rng.int(0, target === 'worker' ? 8_000 : 5_000);
        this.log(`[chaos] ${since(this.t0)} ${hard ? 'kill' : 'stop'} ${target}, down ${(ms / 1000).toFixed(1)} s`);
        if (hard) await this.system.killApp(target);
        else await this.system.stopApp(target);
        await sleep(ms);
        await this.system.startApp(target);
        return;
      }
    }
  }

  /** Starts whatever is down without our asking (a process that exited by itself is a finding). */
  private async ensureRunning(): Promise<void> {
    if (!this.system.isTemporalRunning()) {
      this.stats.unexpectedExits.push(`temporal at ${since(this.t0)}`);
      this.log(`[chaos] ${since(this.t0)} temporal exited by itself: starting it again`);
      await this.system.startTemporal();
    }
    for (const app of ['simulator', 'worker', 'api'] as AppName[]) {
      if (this.system.isRunning(app)) continue;
      this.stats.unexpectedExits.push(`${app} at ${since(this.t0)}`);
      this.log(`[chaos] ${since(this.t0)} ${app} exited by itself: starting it again`);
      await this.system.startApp(app);
    }
  }
}
