import { spawnSync } from 'node:child_process';
import * as path from 'node:path';

const TOOL = path.join(__dirname, 'replay-cpu.js');

/** CPU-ms per replayed history at each number of frames kept in workflow stack traces (medians). */
export interface ReplayResult {
  rounds: number;
  byFrames: { frames: number; cpuMsPerHistory: number }[];
}

const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)] ?? NaN;

/**
 * The worker's own CPU per payment workflow, with no server, network or timing in the way: the
 * workflow package's recorded histories replayed `rounds` times, at V8's default of 10 frames
 * and at the worker's default of 0 (WORKFLOW_STACK_TRACE_LIMIT). Alternated three times, so a
 * slower minute on the machine hits both settings alike.
 */
export function runReplayStage(rounds: number, log: (msg: string) => void): ReplayResult {
  const frameSettings = [10, 0];
  const samples = new Map<number, number[]>(frameSettings.map((f) => [f, []]));
  for (let i = 0; i < 3; i++) {
    for (const frames of frameSettings) {
      const r = spawnSync(process.execPath, [TOOL, String(frames), String(rounds)], { encoding: 'utf8', timeout: 300_000 });
      const line = r.stdout.split('\n').find((l) => l.startsWith('{"frames"'));
      if (r.status !== 0 || !line) throw new Error(`replay-cpu failed (${r.status}): ${r.stderr.slice(-500)}`);
      const { cpuMsPerHistory } = JSON.parse(line) as { cpuMsPerHistory: number };
      samples.get(frames)?.push(cpuMsPerHistory);
      log(`replay: ${frames} frames, ${cpuMsPerHistory.toFixed(1)} CPU-ms per history`);
    }
  }
  return { rounds, byFrames: frameSettings.map((frames) => ({ frames, cpuMsPerHistory: median(samples.get(frames) ?? []) })) };
}

/** The stage's lines in the report. */
export function replayTable(r: ReplayResult): string {
  const [full, none] = r.byFrames;
  const lines = [
    `replay: the worker's CPU per payment workflow, the recorded histories replayed ${r.rounds} times (no server; medians of 3)`,
    ...r.byFrames.map((b) => `  ${`${b.frames} stack-trace frames (${b.frames === 0 ? 'the worker default' : 'V8 default'})`.padEnd(44)}${b.cpuMsPerHistory.toFixed(1).padStart(6)} CPU-ms/history`),
  ];
  if (full && none) lines.push(`  ${'0 frames ÷ 10 frames'.padEnd(44)}${(none.cpuMsPerHistory / full.cpuMsPerHistory).toFixed(2).padStart(6)}`);
  return lines.join('\n');
}
