import type { Deadline, PaymentsClient } from '../temporal';

/** A worker counts as polling when Temporal saw it poll within this long. */
const POLLER_FRESH_MS = 60_000;
/** /readyz answers from a check at most this old, so probes never load Temporal. */
const CACHE_MS = 1_000;

export interface Readiness {
  ready: boolean;
  temporal: 'up' | 'down';
  /** Workers seen polling the workflow task queue within the last minute. */
  workers: number;
  /** Set once the API has been told to stop (SIGTERM): a load balancer takes it out before it closes. */
  draining?: true;
}

/** Protobuf timestamps carry seconds as a number or a Long. */
function toMillis(ts: { seconds?: unknown; nanos?: number | null } | null | undefined): number {
  if (!ts) return 0;
  const s = ts.seconds;
  const seconds =
    typeof s === 'number' ? s : typeof (s as { toNumber?: unknown })?.toNumber === 'function' ? (s as { toNumber(): number }).toNumber() : Number(s ?? 0);
  return seconds * 1000 + Math.floor((ts.nanos ?? 0) / 1e6);
}

/**
 * Ready when Temporal answers and a worker polls the workflow task queue, and the API is not
 * draining. Answers are cached for a second and concurrent probes share one call.
 */
export function createReadinessCheck(opts: {
  client: PaymentsClient;
  namespace: string;
  taskQueue: string;
  now: () => number;
  deadline: () => Deadline;
  /** True once the process is stopping: not ready from then on, whatever Temporal says. */
  draining?: () => boolean;
}): () => Promise<Readiness> {
  let cached: { at: number; answer: Promise<Readiness> } | null = null;

  const check = async (): Promise<Readiness> => {
    try {
      const res = await opts.deadline().run(() =>
        opts.client.workflowService.describeTaskQueue({
          namespace: opts.namespace,
          taskQueue: { name: opts.taskQueue, kind: 1 /* TASK_QUEUE_KIND_NORMAL */ },
          taskQueueType: 1 /* TASK_QUEUE_TYPE_WORKFLOW */,
        }),
      );
      const now = opts.now();
      const workers = (res.pollers ?? []).filter((p) => now - toMillis(p.lastAccessTime) <= POLLER_FRESH_MS).length;
      return { ready: workers > 0, temporal: 'up', workers };
    } catch {
      return { ready: false, temporal: 'down', workers: 0 };
    }
  };

  return () => {
    if (opts.draining?.()) return Promise.resolve({ ready: false, temporal: 'up', workers: 0, draining: true });
    const now = opts.now();
    if (!cached || now - cached.at >= CACHE_MS) cached = { at: now, answer: check() };
    return cached.answer;
  };
}
