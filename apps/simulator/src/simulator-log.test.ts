import { Writable } from 'node:stream';
import { simulatorLog } from './simulator-log';

function capture(level: Parameters<typeof simulatorLog>[0]) {
  const lines: Record<string, unknown>[] = [];
  const sink = new Writable({
    write(chunk: Buffer, _enc, done) {
      for (const line of chunk.toString().split('\n').filter(Boolean)) lines.push(JSON.parse(line) as Record<string, unknown>);
      done();
    },
  });
  return { lines, log: simulatorLog(level, 'json', sink) };
}

test('LOG_LEVEL=warn → the simulator’s info lines dropped, its errors kept', () => {
  const { lines, log } = capture('warn');
  log({ msg: 'simulator listening', url: 'http://127.0.0.1:3100' });
  log({ msg: 'payment', reference: 'p-1', status: 'captured' });
  log({ level: 'error', msg: 'ledger write failed', err: 'disk full' });
  expect(lines.map((l) => [l.level, l.msg])).toEqual([[50, 'ledger write failed']]);
});

test('a line about a payment → JSON with service simulator, its fields, and the reference also as paymentid', () => {
  const { lines, log } = capture('info');
  log({ msg: 'payment', reference: 'p-1', status: 'captured' });
  expect(lines).toEqual([expect.objectContaining({ level: 30, service: 'simulator', msg: 'payment', reference: 'p-1', paymentid: 'p-1', status: 'captured' })]);
});
