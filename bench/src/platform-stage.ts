import { spawn, type ChildProcess } from 'node:child_process';
import * as path from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import { Client, Connection } from '@temporalio/client';
import { CpuMeter } from './proc';
import { scrape } from './prom';
import { freePort, startBenchTemporal, type SystemOptions } from './system';
import { historyCounts, spread, workPerPayment, type WorkPerPayment } from './work-counts';
import { completeUpdate, emptyWorkflow, saleShapedWorkflow } from './platform-workflows';

/** What the stage drives: a workflow that does nothing, and one of a sale's shape. */
export const PLATFORM_SHAPES = ['empty', 'sale-shaped'] as const;
type Shape = (typeof PLATFORM_SHAPES)[number];

export interface PlatformRow {
  shape: Shape;
  offeredPerS: number;
  completedPerS: number;
  errors: number;
  work: WorkPerPayment;
}

/** The platform worker in its own process; resolves once it polls. */
async function startWorker(address: string, taskQueue: string, approveMs: number): Promise<ChildProcess> {
  const metricsPort = await freePort();
  const child = spawn(process.execPath, [path.join(__dirname, 'platform-worker.js'), address, taskQueue, String(metricsPort), String(approveMs)], {
    stdio: ['ignore', 'pipe', 'inherit'],
  });
  await new Promise<void>((resolve, reject) => {
    child.once('exit', (code) => reject(new Error(`the platform worker exited with ${code}`)));
    child.stdout?.on('data', (chunk: Buffer) => {
      if (chunk.toString().includes('platform worker ready')) resolve();
    });
  });
  return child;
}

/**
 * The platform's own cost per workflow, beside the payment's: the same dev server (same flags,
 * same metrics port) and an SDK worker with the payment worker's settings, driven in an open loop
 * at `rate` workflows per second, (1) workflows that complete in their first task and (2)
 * workflows of a sale's shape — 3 workflow tasks, 1 activity task, 1 update, none of our code.
 * What a payment costs above (2) is ours; what (2) costs is what one workflow per payment costs
 * on this server, whatever the payment code does.
 */
export async function runPlatformStage(o: {
  dir: string;
  rate: number;
  warmupS: number;
  durationS: number;
  approveDelayMs: number;
  temporal: Pick<SystemOptions, 'temporalArgs' | 'temporalInMemory'>;
  log: (msg: string) => void;
}): Promise<PlatformRow[]> {
  const temporal = await startBenchTemporal({ dir: o.dir, ...o.temporal, log: o.log });
  const rows: PlatformRow[] = [];
  let worker: ChildProcess | null = null;
  let connection: Connection | null = null;
  try {
    const taskQueue = 'platform';
    worker = await startWorker(temporal.address, taskQueue, o.approveDelayMs);
    connection = await Connection.connect({ address: temporal.address });
    const client = new Client({ connection });
    const pids = { temporal: temporal.process.pid ?? 0, worker: worker.pid ?? 0 };
    for (const shape of PLATFORM_SHAPES) {
      const run = async (workflowId: string): Promise<void> => {
        if (shape === 'empty') {
          await client.workflow.execute(emptyWorkflow, { taskQueue, workflowId });
        } else {
          const handle = await client.workflow.start(saleShapedWorkflow, { taskQueue, workflowId });
          await handle.executeUpdate(completeUpdate);
          await handle.result();
        }
      };
      const stopAt = performance.now() + (o.warmupS + o.durationS) * 1000;
      const measureFrom = performance.now() + o.warmupS * 1000;
      const inWindow: string[] = [];
      let errors = 0;
      const flights: Promise<void>[] = [];
      let meter: CpuMeter | null = null;
      let before: Awaited<ReturnType<typeof scrape>> | null = null;
      for (let next = performance.now(); next < stopAt; next += 1000 / o.rate) {
        if (!meter && performance.now() >= measureFrom) {
          before = await scrape(temporal.metricsUrl);
          meter = new CpuMeter(pids);
        }
        const id = `platform-${shape}-${flights.length}`;
        flights.push(
          run(id).then(
            () => {
              if (meter) inWindow.push(id);
            },
            () => {
              errors++;
            },
          ),
        );
        const wait = next + 1000 / o.rate - performance.now();
        if (wait > 0) await sleep(wait);
      }
      const cpu = meter?.read();
      const after = await scrape(temporal.metricsUrl);
      const completed = inWindow.length;
      await Promise.allSettled(flights);
      const histories = await historyCounts({ cliPath: temporal.cliPath, address: temporal.address, workflowIds: spread(inWindow, 5) });
      const { loadgen: _loadgen, ...cpuPct } = cpu?.perProcess ?? {};
      const work = workPerPayment({ temporal: [before ?? new Map(), after], completed, durationS: o.durationS, cpuPct, histories, started: completed });
      const row: PlatformRow = { shape, offeredPerS: o.rate, completedPerS: Math.round((completed / o.durationS) * 100) / 100, errors, work };
      rows.push(row);
      o.log(
        `  platform ${shape}: ${row.completedPerS} completed/s of ${o.rate} offered, ${errors} errors; per workflow ${work.historyEvents} events, ${work.workflowTasks} workflow tasks, ${work.activityTasks} activity tasks, ${work.persistenceWrites} persistence writes; CPU-ms temporal ${work.cpuMs.temporal}, worker ${work.cpuMs.worker}`,
      );
    }
  } finally {
    await connection?.close();
    worker?.kill('SIGTERM');
    await temporal.stop();
  }
  return rows;
}

/** The stage's lines in the report. */
export function platformTable(rows: PlatformRow[]): string {
  const pad = (s: string | number, n: number) => String(s).padStart(n);
  return [
    `platform: the dev server and an SDK worker with no payment code, open loop (CPU-ms per completed workflow)`,
    `${'shape'.padEnd(14)}${pad('done/s', 8)}${pad('events', 8)}${pad('WFT', 6)}${pad('AT', 5)}${pad('writes', 8)}${pad('temporal', 10)}${pad('worker', 8)}${pad('sum', 7)}`,
    ...rows.map((r) => {
      const t = r.work.cpuMs.temporal ?? NaN;
      const w = r.work.cpuMs.worker ?? NaN;
      return `${r.shape.padEnd(14)}${pad(r.completedPerS, 8)}${pad(r.work.historyEvents ?? '?', 8)}${pad(r.work.workflowTasks ?? '?', 6)}${pad(r.work.activityTasks ?? '?', 5)}${pad(r.work.persistenceWrites, 8)}${pad(t, 10)}${pad(w, 8)}${pad(Math.round((t + w) * 10) / 10, 7)}`;
    }),
  ].join('\n');
}
