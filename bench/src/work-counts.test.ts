import { countHistory, spread, workPerPayment } from './work-counts';

test('countHistory counts events, workflow tasks, activity tasks and local activities as the CLI prints them', () => {
  const types = ['EVENT_TYPE_WORKFLOW_EXECUTION_STARTED', 'EVENT_TYPE_WORKFLOW_TASK_SCHEDULED', 'EVENT_TYPE_WORKFLOW_TASK_STARTED', 'EVENT_TYPE_WORKFLOW_TASK_COMPLETED', 'EVENT_TYPE_MARKER_RECORDED', 'EVENT_TYPE_ACTIVITY_TASK_SCHEDULED', 'WorkflowTaskCompleted'];
  expect(countHistory(JSON.stringify({ events: types.map((eventType) => ({ eventType })) }))).toEqual({
    events: 7,
    workflowTasks: 2,
    activityTasks: 1,
    localActivities: 1,
  });
});

test('spread picks at most n items across the whole list', () => {
  expect(spread([1, 2, 3], 5)).toEqual([1, 2, 3]);
  expect(spread([...Array(100).keys()], 4)).toEqual([0, 25, 50, 75]);
});

test('workPerPayment: writes and CPU shared over the completed payments, tasks as the sampled histories hold them', () => {
  const t0 = new Map([['persistence_requests{operation="UpdateWorkflowExecution",service_name="history"}', 100], ['persistence_requests{operation="GetWorkflowExecution",service_name="history"}', 5]]);
  const t1 = new Map([['persistence_requests{operation="UpdateWorkflowExecution",service_name="history"}', 160], ['persistence_requests{operation="GetWorkflowExecution",service_name="history"}', 50]]);
  const w = workPerPayment({
    temporal: [t0, t1],
    completed: 10,
    durationS: 30,
    cpuPct: { worker: 10 },
    histories: [{ events: 24, workflowTasks: 3, activityTasks: 1, localActivities: 2 }, { events: 26, workflowTasks: 3, activityTasks: 1, localActivities: 2 }],
    started: 10,
  });
  expect(w).toMatchObject({ persistenceWrites: 6, historyEvents: 25, workflowTasks: 3, activityTasks: 1, cpuMs: { worker: 300 } });
});
