import { Worker as Thread } from 'node:worker_threads';
import { limitWorkflowStackTraces } from './workflow-stack-traces';

/** The frames an error made on a new thread (as the SDK's workflow threads are) keeps. */
function framesOnNewThread(): Promise<number> {
  const code = `
    const { parentPort } = require('node:worker_threads');
    function deep(n) { return n === 0 ? new Error('x').stack : deep(n - 1); }
    parentPort.postMessage(deep(20).split('\\n').length - 1);`;
  return new Promise((resolve, reject) => {
    const t = new Thread(code, { eval: true });
    t.once('message', (n: number) => resolve(n));
    t.once('error', reject);
  });
}

afterAll(() => limitWorkflowStackTraces(10));

test('threads started after the setting keep that many frames; the main thread (activities) keeps its own', async () => {
  const mainBefore = Error.stackTraceLimit;
  limitWorkflowStackTraces(0);
  expect(await framesOnNewThread()).toBe(0);
  limitWorkflowStackTraces(3);
  expect(await framesOnNewThread()).toBe(3);
  expect(Error.stackTraceLimit).toBe(mainBefore);
  const deep = (n: number): string => (n === 0 ? (new Error('main').stack ?? '') : deep(n - 1));
  expect(deep(20).split('\n').length - 1).toBeGreaterThanOrEqual(Math.min(mainBefore, 21));
});
