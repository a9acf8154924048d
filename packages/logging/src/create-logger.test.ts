import { Writable } from 'node:stream';
import { createLogger, resolveLogFormat } from './index';

/** A destination that keeps what is written, and says whether it is a terminal. */
function sink(isTTY = false) {
  const chunks: string[] = [];
  const stream = Object.assign(
    new Writable({
      write(chunk: Buffer, _enc, done) {
        chunks.push(chunk.toString());
        done();
      },
    }),
    { isTTY },
  );
  // pino-pretty writes through a stream pipeline: give it a turn before reading.
  const lines = async () => {
    await new Promise((resolve) => setTimeout(resolve, 50));
    // Colours follow the test runner's terminal (FORCE_COLOR); the text is what is checked.
     
    return chunks.join('').replace(/\x1b\[[0-9;]*m/g, '').split('\n').filter(Boolean);
  };
  return { stream, lines };
}

const request = { requestId: 'r-1', method: 'POST', route: '/payments', status: 200, ms: 12.5, merchant: 'demo', paymentid: '6f1d7c2e-1111-4000-8000-000000000001' };

test('format json → one JSON object per line, every field kept', async () => {
  const out = sink();
  createLogger({ service: 'api', level: 'info', format: 'json', destination: out.stream }).info(request, 'request');
  const [line, ...rest] = await out.lines();
  expect(rest).toEqual([]);
  expect(JSON.parse(line!)).toMatchObject({ level: 30, service: 'api', msg: 'request', ...request });
});

test('format pretty → one short line: time, process, level, message with method/route/status/time, the paymentid; nothing else', async () => {
  const out = sink();
  createLogger({ service: 'api', level: 'info', format: 'pretty', destination: out.stream }).info(request, 'request');
  const lines = await out.lines();
  expect(lines).toHaveLength(1);
  expect(lines[0]).toMatch(/^\d\d:\d\d:\d\d\.\d{3} api {7}INFO: request POST \/payments 200 12\.5 ms paymentid=6f1d7c2e-1111-4000-8000-000000000001$/);
  expect(lines[0]).not.toMatch(/merchant|r-1|\{/);
});

test('format pretty → an error shows its message on the same line, not a stack', async () => {
  const out = sink();
  const logger = createLogger({ service: 'worker', level: 'info', format: 'pretty', destination: out.stream });
  logger.warn({ err: new Error('acquirer down'), paymentid: 'p-1' }, 'activity failed');
  expect(await out.lines()).toEqual([expect.stringMatching(/ worker {4}WARN: activity failed — acquirer down paymentid=p-1$/)]);
});

test('the level holds in both formats: LOG_LEVEL=warn drops info and debug', async () => {
  for (const format of ['json', 'pretty'] as const) {
    const out = sink();
    const logger = createLogger({ service: 'simulator', level: 'warn', format, destination: out.stream });
    logger.debug('d');
    logger.info('i');
    logger.warn('w');
    logger.error('e');
    expect((await out.lines()).map((l) => (format === 'json' ? (JSON.parse(l) as { msg: string }).msg : l.split(': ').pop()))).toEqual(['w', 'e']);
  }
});

test('formatLog runs before either format writes (the API scrubs there)', async () => {
  const hide = (o: Record<string, unknown>) => ({ ...o, paymentid: o.paymentid === undefined ? undefined : '[hidden]' });
  for (const format of ['json', 'pretty'] as const) {
    const out = sink();
    createLogger({ service: 'api', level: 'info', format, destination: out.stream, formatLog: hide }).info({ paymentid: 'secret-id' }, 'x');
    const [line] = await out.lines();
    expect(line).toContain('[hidden]');
    expect(line).not.toContain('secret-id');
  }
});

test('format auto → pretty only on a terminal, and never with NODE_ENV=production', async () => {
  const tty = sink(true);
  createLogger({ service: 'api', level: 'info', destination: tty.stream }).info('hello');
  expect((await tty.lines())[0]).toMatch(/ api {7}INFO: hello$/);
  const pipe = sink(false);
  createLogger({ service: 'api', level: 'info', destination: pipe.stream }).info('hello');
  expect(JSON.parse((await pipe.lines())[0]!)).toMatchObject({ msg: 'hello' });

  expect(resolveLogFormat('auto', { isTTY: true }, { NODE_ENV: 'production' })).toBe('json');
  expect(resolveLogFormat('auto', { isTTY: true }, {})).toBe('pretty');
  expect(resolveLogFormat('auto', {}, {})).toBe('json');
  expect(resolveLogFormat('pretty', {}, { NODE_ENV: 'production' })).toBe('pretty'); // asked for by name
});
