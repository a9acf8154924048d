import { ScheduleAlreadyRunning, ScheduleOverlapPolicy, type Client, type ScheduleOptions } from '@temporalio/client';
import type { ReconcileInput } from '@payments/workflow';

export interface ReconcileScheduleOptions {
  /** 'all': one schedule for every merchant; 'per-merchant': one each; 'off': none (existing ones are left). */
  schedule: 'all' | 'per-merchant' | 'off';
  merchants: readonly string[];
  hour: number;
  timeZone: string;
  taskQueue: string;
}

/** The schedule id of the daily reconciliation of one merchant, or of all. */
export const reconcileScheduleId = (merchant: string | null) => `reconcile-daily-${merchant ?? 'all'}`;

/** The schedules the configuration asks for: each runs reconcileWorkflow at `hour` local time over the day before. */
export function reconcileSchedules(o: ReconcileScheduleOptions): ScheduleOptions[] {
  const scopes: (string | null)[] = o.schedule === 'off' ? [] : o.schedule === 'all' ? [null] : [...o.merchants];
  return scopes.map((merchant) => {
    const input: ReconcileInput = { merchant, timeZone: o.timeZone };
    return {
      scheduleId: reconcileScheduleId(merchant),
      spec: { calendars: [{ hour: o.hour, minute: 0 }], timezone: o.timeZone },
      action: {
        type: 'startWorkflow',
        workflowType: 'reconcileWorkflow',
        workflowId: `reconcile-daily-${merchant ?? 'all'}`,
        taskQueue: o.taskQueue,
        args: [input],
      },
      // A day's run that is still going when the next is due finishes first; a missed day runs when the worker is back.
      policies: { overlap: ScheduleOverlapPolicy.BUFFER_ONE, catchupWindow: '1 day' },
      memo: { about: 'daily reconciliation (docs/operators/reconciliation.md)' },
    };
  });
}

/** Creates the configured schedules, or brings existing ones to the configuration: safe at every worker start. */
export async function ensureReconcileSchedules(client: Client, o: ReconcileScheduleOptions): Promise<string[]> {
  const ids: string[] = [];
  for (const options of reconcileSchedules(o)) {
    try {
      await client.schedule.create(options);
    } catch (err) {
      if (!(err instanceof ScheduleAlreadyRunning)) throw err;
      await client.schedule.getHandle(options.scheduleId).update((prev) => ({ ...prev, spec: options.spec, action: options.action, policies: options.policies }));
    }
    ids.push(options.scheduleId);
  }
  return ids;
}
