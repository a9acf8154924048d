// A rolling deploy while registers pay: two workers and two API instances behind a load
// balancer, each replaced in turn with SIGTERM (a clean stop) and started again. Registers
// never see an answer other than 200 (or a shed 503 for a new POST, which they retry after its
// Retry-After), no answer takes 1 s or more, and every sale is captured exactly once.
import { Register, countEvents, fullLedger, paymentRequest } from '../support/register';
import { LoadBalancer } from '../support/load-balancer';
import { System, eventually, sleep, type Proc } from '../support/system';

jest.setTimeout(300_000);

const REGISTERS = 6;
/** The API's drain: well above the load balancer's probe interval (200 ms here). */
const DRAIN_MS = 1500;

let system: System;
let lb: LoadBalancer;

beforeAll(async () => {
  system = await System.start({ workers: 2, apis: 2, env: { API_DRAIN_MS: String(DRAIN_MS), SIM_APPROVE_DELAY_MS: '200' } });
  lb = await LoadBalancer.start({ backends: system.apiUrls });
});
afterAll(async () => {
  await lb?.stop();
  await system?.stop();
});

interface Answer {
  route: string;
  status: number;
  ms: number;
}

/** One register in a closed loop: POST, poll until ready_to_complete, PUT completed; every answer recorded. */
async function payInALoop(pos: Register, n: number, stop: () => boolean, answers: Answer[], completed: string[]): Promise<void> {
  const timed = async <T>(route: string, call: () => Promise<{ status: number; body: T; headers: Headers }>) => {
    const t0 = performance.now();
    const reply = await call();
    answers.push({ route, status: reply.status, ms: performance.now() - t0 });
    return reply;
  };
  for (let i = 0; !stop(); i++) {
    const post = await timed('POST', () => pos.call<string>('POST', '/payments', paymentRequest(`${n}${i}.00`)));
    if (post.status !== 200) {
      await sleep(Number(post.headers.get('retry-after') ?? '1') * 1000);
      continue;
    }
    const id = post.body;
    for (;;) {
      const get = await timed('GET', () => pos.get(id));
      if (get.status === 200 && get.body.paymentstate.state === 'ready_to_complete') break;
      if (get.status === 200 && get.body.paymentstate.state === 'cancelled') throw new Error(`${id} cancelled while the register waited`);
      await sleep(250);
    }
    const put = await timed('PUT', () => pos.put(id, 'completed'));
    if (put.status === 200) completed.push(id);
  }
}

test('every worker and API instance replaced in turn by SIGTERM under load → no register answer but 200 (or a shed POST 503), none ≥ 1 s, each sale captured once', async () => {
  const answers: Answer[] = [];
  const completed: string[] = [];
  let done = false;
  const registers = Array.from({ length: REGISTERS }, (_, n) => payInALoop(new Register(lb.url), n + 1, () => done, answers, completed));

  const stopTook: Record<string, number> = {};
  await sleep(2000);
  for (const proc of ['worker', 'worker-2', 'api', 'api-2'] as Proc[]) {
    const t0 = performance.now();
    await system.stopApp(proc);
    stopTook[proc] = Math.round(performance.now() - t0);
    await system.startApp(proc);
    if (proc.startsWith('api')) await eventually(async () => lb.inRotation.length, (n) => n === 2, 30_000, 100);
    await sleep(1500);
  }
  done = true;
  await Promise.all(registers);

  const byRoute = (route: string) => answers.filter((a) => a.route === route);
  const slowest = Math.round(Math.max(...answers.map((a) => a.ms)));
  console.log(
    `rolling restart: ${completed.length} sales, ${answers.length} answers (POST ${byRoute('POST').length}, GET ${byRoute('GET').length}, PUT ${byRoute('PUT').length}), ` +
      `slowest ${slowest} ms; SIGTERM took ${JSON.stringify(stopTook)} ms`,
  );
  const wrong = answers.filter((a) => a.status !== 200 && !(a.route === 'POST' && a.status === 503));
  expect(wrong).toEqual([]);
  expect(answers.filter((a) => a.ms >= 1000)).toEqual([]);
  expect(completed.length).toBeGreaterThan(REGISTERS * 4);

  const ledger = await eventually(() => fullLedger(system.simUrl), (l) => completed.every((id) => l[id]?.confirmed === true), 60_000, 250);
  const notOnce = completed.filter((id) => countEvents(ledger[id], 'captured') !== 1);
  expect(notOnce).toEqual([]);
});
