// Counts what a payment cost Temporal, from its history: the figures that do not change from
// machine to machine (budget.test.ts holds the workflow to them; the bench reports them).
import { temporal } from '@temporalio/proto';

type HistoryEvent = temporal.api.history.v1.IHistoryEvent;
const { EventType } = temporal.api.enums.v1;

/** What a stretch of a history cost: its events, the workflow tasks completed and the activity tasks scheduled. */
export interface HistoryWork {
  events: number;
  workflowTasks: number;
  activityTasks: number;
  /** Local activities run inside workflow tasks (one marker each): no task of their own. */
  localActivities: number;
  timers: number;
}

/** The summary a timer was started with (its label in Temporal Web), or ''. */
export function timerSummary(event: HistoryEvent): string {
  return event.timerStartedEventAttributes ? summaryOf(event) : '';
}

/** The summary of a local activity's marker (its label in Temporal Web), or ''. */
export function markerSummary(event: HistoryEvent): string {
  return event.markerRecordedEventAttributes ? summaryOf(event) : '';
}

function summaryOf(event: HistoryEvent): string {
  const data = event.userMetadata?.summary?.data;
  if (!data) return '';
  try {
    return String(JSON.parse(Buffer.from(data).toString('utf8')));
  } catch {
    return '';
  }
}

/**
 * The work of `events`, up to and including the first event for which `until` holds (all of
 * them without `until`, or when none matches).
 */
export function historyWork(events: readonly HistoryEvent[], until?: (e: HistoryEvent) => boolean): HistoryWork {
  const end = until ? events.findIndex(until) : -1;
  const stretch = end === -1 ? events : events.slice(0, end + 1);
  const count = (type: number) => stretch.filter((e) => e.eventType === type).length;
  return {
    events: stretch.length,
    workflowTasks: count(EventType.EVENT_TYPE_WORKFLOW_TASK_COMPLETED),
    activityTasks: count(EventType.EVENT_TYPE_ACTIVITY_TASK_SCHEDULED),
    localActivities: count(EventType.EVENT_TYPE_MARKER_RECORDED),
    timers: count(EventType.EVENT_TYPE_TIMER_STARTED),
  };
}

/** Stops at the timer of the late-cancel window (the register's business is done; only a late cancel or a refund may follow). */
export const lateCancelTimer = (e: HistoryEvent): boolean => timerSummary(e).startsWith('late-cancel');
