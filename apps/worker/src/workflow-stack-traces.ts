import { setFlagsFromString } from 'node:v8';

/**
 * Sets how many frames the stack traces of workflow code keep (WORKFLOW_STACK_TRACE_LIMIT).
 * The Temporal SDK records a stack trace for every promise that workflow code creates (for its
 * stack trace query), and at V8's default of 10 frames that was about a third of the workflow
 * thread's CPU. V8 reads the limit when a thread's context is made, so this must run before
 * Worker.create starts the workflow threads; the main thread, where activities run, keeps the
 * limit it started with.
 */
export function limitWorkflowStackTraces(frames: number): void {
  setFlagsFromString(`--stack-trace-limit=${frames}`);
}
