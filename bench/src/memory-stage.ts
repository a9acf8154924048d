import { paymentBody, saleAmount, prng } from './payment-body';
import { rssOf } from './proc';
import { Recorder } from './recorder';
import { median, round } from './stats';
import { RegisterPool } from './register-pool';
import type { SystemUnderTest } from './system';

/** Memory of each process with a given number of payments open. */
export interface MemoryPoint {
  open: number;
  rssMiB: Record<string, number>;
  heapUsedMiB: Record<string, number>;
}

export interface MemoryResult {
  hold: 'inprogress' | 'ready';
  pollEveryS: number;
  points: MemoryPoint[];
  /** KiB of RSS per open payment between the smallest and largest count, per process. */
  perOpenPaymentKiB: Record<string, number>;
  errors: number;
}

/** Environment that keeps payments open for the whole stage. */
export function memoryEnv(hold: 'inprogress' | 'ready'): Record<string, string> {
  const hour = String(3_600_000);
  return hold === 'inprogress'
    ? { SIM_APPROVE_DELAY_MS: hour, PAYMENT_EXPIRY_MS: hour }
    : { SIM_APPROVE_DELAY_MS: '0', ACK_TIMEOUT_MS: hour };
}

const sleep = (ms: number) => new Promise<void>((r) => setTimeout(r, ms));

/**
 * Opens payments up to each count (50 a second), polls every open one once per pollEveryS (a
 * register's poll, slowed so that 1,000 of them do not turn this into a load test), lets the
 * processes settle, and reads RSS (VmRSS, median of 1 s samples) and heap.
 */
export async function measureMemory(sys: SystemUnderTest, counts: number[], hold: 'inprogress' | 'ready', pollEveryS: number, log: (l: string) => void): Promise<MemoryResult> {
  const recorder = new Recorder(performance.now());
  const client = new RegisterPool(sys.apiUrl, sys.credential, recorder, 64);
  const open: string[] = [];
  const random = prng(7);
  const points: MemoryPoint[] = [];
  let polling = true;
  // The steady poll: every open payment once per pollEveryS, spread evenly.
  const poller = (async () => {
    let i = 0;
    while (polling) {
      const n = open.length;
      if (n === 0) {
        await sleep(100);
        continue;
      }
      const id = open[i % n] as string;
      i += 1;
      void client.call('GET', `/payments/${id}`, 'bench-memory');
      await sleep((pollEveryS * 1000) / n);
    }
  })();

  const sample = async (): Promise<MemoryPoint> => {
    await sleep(10_000); // settle: GC, caches filled by the first round of polls
    const rss: Record<string, number[]> = {};
    for (let s = 0; s < 15; s++) {
      for (const [name, pid] of Object.entries(sys.pids())) {
        const r = rssOf(pid);
        if (r) (rss[name] ??= []).push(r.rssMiB);
      }
      await sleep(1000);
    }
    const heapUsedMiB: Record<string, number> = {};
    for (const app of ['api', 'worker'] as const) {
      const h = sys.heapOf(app);
      if (h) heapUsedMiB[app] = h.heapUsedMiB;
    }
    return { open: open.length, rssMiB: Object.fromEntries(Object.entries(rss).map(([k, v]) => [k, median(v)])), heapUsedMiB };
  };

  try {
    points.push(await sample());
    log(`  memory: ${JSON.stringify(points.at(-1))}`);
    for (const count of counts) {
      while (open.length < count) {
        const started = performance.now();
        const body = paymentBody({ register: 9000 + (open.length % 100), receipt: open.length, amountMinor: saleAmount(random), creditpaymentid: null });
        const answer = await client.call('POST', '/payments', 'bench-memory', body);
        if (answer.status === 200) open.push(JSON.parse(answer.body) as string);
        await sleep(20 - (performance.now() - started));
      }
      points.push(await sample());
      log(`  memory: ${JSON.stringify(points.at(-1))}`);
    }
  } finally {
    polling = false;
    await poller;
    await client.close();
  }
  const first = points[0];
  const last = points.at(-1);
  const perOpenPaymentKiB: Record<string, number> = {};
  if (first && last && last.open > first.open) {
    const lo = points.find((p) => p.open === Math.min(...counts)) ?? first;
    for (const name of Object.keys(last.rssMiB)) {
      perOpenPaymentKiB[name] = round((((last.rssMiB[name] ?? NaN) - (lo.rssMiB[name] ?? NaN)) * 1024) / (last.open - lo.open), 1);
    }
  }
  return { hold, pollEveryS, points, perOpenPaymentKiB, errors: recorder.errorCount };
}
