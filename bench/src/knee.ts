import type { LoadOptions } from './registers';
import { runScenario, type ScenarioResult, type Target } from './scenario';

export interface KneeStep {
  registers: number;
  getP99: number;
  getP50: number;
  postP99: number;
  putP99: number;
  completedPerS: number;
  errors: number;
  machineBusyPct: number;
}

export interface KneeResult {
  limitMs: number;
  /** The largest register count whose GET p99 stayed under the limit (null: none tried did). */
  knee: number | null;
  steps: KneeStep[];
}

const stepOf = (r: ScenarioResult): KneeStep => ({
  registers: r.registers,
  getP50: r.routes.GET.p50,
  getP99: r.routes.GET.p99,
  postP99: r.routes.POST.p99,
  putP99: r.routes.PUT.p99,
  completedPerS: r.completedPerS,
  errors: r.errors,
  machineBusyPct: r.cpu.machineBusyPct,
});

/**
 * Closed-loop registers, raised ×1.5 from `from` until GET p99 passes the limit (or `max`), then
 * two bisection steps between the last pass and the first failure.
 */
export async function findKnee(
  target: Target,
  load: Omit<LoadOptions, 'durationMs' | 'registers' | 'mode'>,
  o: { from: number; max: number; durationS: number; limitMs: number },
  log: (line: string) => void,
): Promise<KneeResult> {
  const steps: KneeStep[] = [];
  const passes = async (registers: number): Promise<boolean> => {
    const r = await runScenario(target, { ...load, registers, mode: 'closed' }, { warmupS: 5, durationS: o.durationS });
    const step = stepOf(r);
    steps.push(step);
    log(`  knee ${target.name}: ${registers} registers → GET p50 ${step.getP50} p99 ${step.getP99} ms, ${step.completedPerS} completed/s, ${step.errors} errors`);
    return step.getP99 < o.limitMs;
  };
  let pass: number | null = null;
  let fail: number | null = null;
  let n = o.from;
  if (await passes(n)) {
    pass = n;
    while (pass < o.max) {
      n = Math.min(o.max, Math.round(pass * 1.5));
      if (await passes(n)) pass = n;
      else {
        fail = n;
        break;
      }
    }
  } else {
    fail = n;
    while (n > 10) {
      n = Math.round(n / 2);
      if (await passes(n)) {
        pass = n;
        break;
      }
      fail = n;
    }
  }
  for (let i = 0; i < 2 && pass !== null && fail !== null && fail - pass > Math.max(10, pass * 0.1); i++) {
    const mid = Math.round((pass + fail) / 2);
    if (await passes(mid)) pass = mid;
    else fail = mid;
  }
  return { limitMs: o.limitMs, knee: pass, steps: steps.sort((a, b) => a.registers - b.registers) };
}
