import { createServer, type IncomingMessage, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { verifyCallbackSignature } from '@payments/contract/signature';
import type { VersionedView } from '@payments/workflow';
import { ViewPusher } from './view-pusher';

const SECRET = 'k'.repeat(32);
const view = (paymentid: string, version: number) => ({ paymentid, version, payment: { paymentid, note: `v${version}` } }) as unknown as VersionedView;

/** An API push listener that records each batch, and can answer 503 for a while. */
async function listener() {
  const batches: { ids: string[]; signed: boolean }[] = [];
  const state = { failures: 0 };
  const server: Server = createServer((req: IncomingMessage, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => chunks.push(c));
    req.on('end', () => {
      const body = Buffer.concat(chunks);
      if (state.failures > 0) {
        state.failures--;
        res.statusCode = 503;
        res.end();
        return;
      }
      const check = verifyCallbackSignature({ header: req.headers['x-signature'] as string, body, secret: SECRET, nowMs: Date.now(), toleranceMs: 60_000 });
      batches.push({ ids: (JSON.parse(body.toString()) as VersionedView[]).map((v) => `${v.paymentid}@${v.version}`), signed: check.ok });
      res.statusCode = 204;
      res.end();
    });
  });
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  const url = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  return { url, batches, state, close: () => new Promise<void>((r) => server.close(() => r())) };
}

describe('the worker’s view pusher', () => {
  test('views pushed together go out as one signed batch, only the newest version of each payment', async () => {
    const api = await listener();
    const pusher = new ViewPusher({ urls: [api.url], secret: SECRET });
    pusher.push(view('a', 1));
    pusher.push(view('b', 1));
    pusher.push(view('a', 2));
    await pusher.drain();
    expect(api.batches).toEqual([{ ids: ['a@2', 'b@1'], signed: true }]);
    await api.close();
  });

  test('every API instance gets every view', async () => {
    const [one, two] = [await listener(), await listener()];
    const pusher = new ViewPusher({ urls: [one.url, `${two.url}/`], secret: SECRET });
    pusher.push(view('a', 1));
    await pusher.drain();
    expect(one.batches.map((b) => b.ids)).toEqual([['a@1']]);
    expect(two.batches.map((b) => b.ids)).toEqual([['a@1']]);
    await Promise.all([one.close(), two.close()]);
  });

  test('an API that fails twice → the third attempt delivers; one that keeps failing → the views are dropped, counted and warned of once', async () => {
    const api = await listener();
    const counted: string[] = [];
    const warnings: string[] = [];
    const pusher = new ViewPusher({
      urls: [api.url],
      secret: SECRET,
      count: (outcome, n) => counted.push(`${outcome}:${n}`),
      warn: (msg) => warnings.push(msg),
    });
    api.state.failures = 2;
    pusher.push(view('a', 1));
    await new Promise((r) => setTimeout(r, 1500));
    expect(api.batches.map((b) => b.ids)).toEqual([['a@1']]);
    api.state.failures = 100;
    pusher.push(view('b', 1));
    pusher.push(view('c', 1));
    await new Promise((r) => setTimeout(r, 1500));
    expect(counted).toEqual(['sent:1', 'dropped:2']);
    expect(warnings).toHaveLength(1);
    await api.close();
  });
});
