// The chaos run: registers run mixed flows against the real processes while faults break them
// at random; then everything is brought back up, left to settle, and reconciled.
import { ClusterChaos } from '../cluster/cluster-chaos';
import { ClusterSystem } from '../cluster/cluster-system';
import { fullLedger } from '../support/register';
import { System } from '../support/system';
import { connectTemporal } from '../support/temporal';
import { FaultInjector, longestPutWaits } from './faults';
import type { ChaosOptions } from './options';
import { Random } from './random';
import { reconcile, settle, type Reconciliation } from './reconcile';
import { ChaosRegister, type RegisterRecord, type RegisterStats, type Till } from './registers';

export interface ChaosResult extends Reconciliation {
  /** Whether every workflow closed within the settle time. */
  settled: boolean;
  seconds: number;
  /** The longest a register waited for a PUT's answer after a worker was killed (SIGKILL), in ms. */
  longestPutWaitAfterWorkerKillMs: number;
}

/** Short timers, so that silent registers' payments are reversed and workflows close within the run. */
const TIMERS = {
  ACK_TIMEOUT_MS: '5000',
  PAYMENT_EXPIRY_MS: '10000',
  LATE_CANCEL_WINDOW_MS: '5000',
  REFUND_WINDOW_MS: '10000',
  SIM_APPROVE_DELAY_MS: '1000',
};

/** A wallet merchant and a card merchant (the card terminal, then the acquirer). */
const TILLS: readonly Till[] = [
  { username: 'demo', password: 'demo', method: 'wallet' },
  { username: 'cards', password: 'cards', method: 'card' },
];

/** What every process of a chaos run is started with. */
export const CHAOS_ENV: Readonly<Record<string, string>> = {
  ...TIMERS,
  SPI_CREDENTIALS: JSON.stringify([
    { username: 'demo', password: 'demo', merchant: 'demo' },
    { username: 'cards', password: 'cards', merchant: 'cardshop' },
  ]),
  MERCHANT_PAYMENT_METHODS: JSON.stringify({ cardshop: 'card' }),
};

/**
 * One chaos run. With `cluster`, on a ClusterSystem of its own, or on `shared` (a cluster a test
 * file already runs, whose apps were restarted with CHAOS_ENV); `shared` is left running.
 */
export async function runChaos(options: ChaosOptions, shared?: ClusterChaos): Promise<ChaosResult> {
  const { log } = options;
  const t0 = Date.now();
  const rng = new Random(options.seed);
  const topology = options.cluster || shared ? 'the cluster topology (Temporal on PostgreSQL, 2 workers, 2 APIs)' : 'one dev server, worker and API';
  log(`[chaos] seed ${options.seed}, ${options.registers} registers, ${options.minutes} min of faults on ${topology}; process logs in test/artifacts/${options.logName}-*.log`);
  const system =
    shared ??
    (options.cluster
      ? new ClusterChaos(await ClusterSystem.start({ logName: options.logName, env: CHAOS_ENV }), log)
      : await System.start({ ownTemporal: true, logName: options.logName, env: CHAOS_ENV }));
  // Registers spread over the API instances, as a load balancer would spread them.
  const apiUrls = system instanceof ClusterChaos ? system.apiUrls : [system.apiUrl];
  try {
    const stats: RegisterStats = { calls: 0, retried: 0, over1s: 0, slowestMs: 0, http500: 0, puts: [] };
    const records: RegisterRecord[] = [];
    const registers = Array.from({ length: options.registers }, (_, i) => {
      const till = i % 4 === 3 ? TILLS[1]! : TILLS[0]!; // one register in four takes cards
      return new ChaosRegister(`CHAOS${String(i + 1).padStart(3, '0')}`, till, apiUrls[i % apiUrls.length]!, rng.fork(), stats, records);
    });
    const faults = new FaultInjector(system, rng.fork(), options.faultGapMs, log, t0);
    const until = Date.now() + options.minutes * 60_000;

    const progress = setInterval(() => {
      const f = faults.stats.done;
      log(
        `[chaos] ${Math.round((Date.now() - t0) / 1000)}s: ${records.length} payments, faults worker ${f.worker} api ${f.api} ` +
          `temporal ${f.temporal} acquirer ${f.acquirer}; calls ${stats.calls}, retried ${stats.retried}`,
      );
    }, 30_000);
    try {
      await Promise.all([faults.run(until), ...registers.map((r) => r.run(until))]);
    } finally {
      faults.stop();
      clearInterval(progress);
    }
    log(`[chaos] ${Math.round((Date.now() - t0) / 1000)}s: faults over, registers done (${records.length} payments); settling with every process up`);
    const waits = longestPutWaits(faults.stats.timeline, stats.puts, Date.now());
    for (const w of waits) {
      const worst = w.longest ? ` (${w.longest.paymentid}: ${w.longest.attempts} attempt(s) from ${((w.longest.firstAt - t0) / 1000).toFixed(1)}s${w.longest.lastFailure ? `, last failure ${w.longest.lastFailure}` : ''})` : '';
      log(`[chaos] ${((w.at - t0) / 1000).toFixed(1)}s ${w.what}: longest wait for a PUT's answer after it ${w.longestMs} ms${worst}`);
    }
    const longest = (f: (w: (typeof waits)[number]) => boolean) => Math.max(0, ...waits.filter(f).map((w) => w.longestMs));
    const longestPutWaitAfterWorkerKillMs = longest((w) => w.target === 'worker' && w.hard);
    log(
      `[chaos] longest wait for a PUT's answer after a fault: worker killed ${longestPutWaitAfterWorkerKillMs} ms, worker stopped ${longest((w) => w.target === 'worker' && !w.hard)} ms, ` +
        `api ${longest((w) => w.target === 'api')} ms, temporal ${longest((w) => w.target === 'temporal')} ms, acquirer ${longest((w) => w.target === 'acquirer')} ms`,
    );

    const temporal = await connectTemporal(system.temporalAddress);
    try {
      const taskQueue = system.env.TEMPORAL_TASK_QUEUE!;
      const settled = await settle(temporal.client, taskQueue, options.settleTimeoutMs, log);
      const result = await reconcile(records, await fullLedger(system.simUrl), temporal.client, taskQueue);
      const f = faults.stats;
      log(
        `[chaos] faults: worker ${f.done.worker}, api ${f.done.api}, temporal ${f.done.temporal}, acquirer ${f.done.acquirer}; ` +
          `processes that exited by themselves: ${f.unexpectedExits.length === 0 ? 'none' : f.unexpectedExits.join(', ')}`,
      );
      log(
        `[chaos] register calls ${stats.calls} (retried ${stats.retried}, HTTP 500: ${stats.http500}), answers of 1 s or more: ${stats.over1s}, ` +
          `slowest ${Math.round(stats.slowestMs)} ms; payments no register learnt of: ${result.orphans}, of them reaching the acquirer or terminal: ${result.orphansAtAcquirer}; ` +
          `money kept: expected ${result.expectedMinor}, ledger ${result.ledgerMinor} (minor units)`,
      );
      const outcomes = new Map<string, number>();
      for (const r of records) outcomes.set(r.outcome, (outcomes.get(r.outcome) ?? 0) + 1);
      log(
        `[chaos] ${records.length} payments started by registers (${[...outcomes].map(([o, n]) => `${o} ${n}`).join(', ')}), ` +
          `${records.filter((r) => r.kind === 'refund').length} of them refunds`,
      );
      const unansweredPosts = records.filter((r) => r.outcome === 'no-answer');
      if (unansweredPosts.length > 0) {
        log(`[chaos] POSTs the registers gave up on after 120 s of retries: ${unansweredPosts.map((r) => `${r.flow} ${r.receiptid} ${r.unanswered}`).join('; ')}`);
      }
      if (!settled) result.mismatches.push({ paymentid: null, what: `workflows still running ${options.settleTimeoutMs / 1000} s after the faults stopped` });
      return { ...result, settled, seconds: Math.round((Date.now() - t0) / 1000), longestPutWaitAfterWorkerKillMs };
    } finally {
      await temporal.close();
    }
  } finally {
    if (!shared) await system.stop();
  }
}
