// The floor: a do-nothing server answering the SPI's three routes with the same JSON, from
// memory (no Temporal, no disk, no acquirer, no log). What the protocol and the load generator
// cost on this machine; everything above it is ours. Run as its own process: node floor-server.js <port>
import { randomUUID } from 'node:crypto';
import Router from '@koa/router';
import Koa from 'koa';

/** The simulated customer approves this long after the payment starts, like SIM_APPROVE_DELAY_MS. */
const APPROVE_MS = Number(process.env.SIM_APPROVE_DELAY_MS ?? 200);

interface FloorPayment {
  request: Record<string, unknown>;
  state: 'inprogress' | 'ready_to_complete' | 'completed' | 'cancelled';
  approvesAt: number;
  /** The cached answer, rebuilt only when the state changes. */
  json: string;
}

const payments = new Map<string, FloorPayment>();
const approvals: Record<string, number> = {};

function render(id: string, p: FloorPayment): string {
  const r = p.request;
  const approved = p.state !== 'inprogress';
  const message = { inprogress: 'Scan the QR code with your wallet app', ready_to_complete: 'Payment approved', completed: 'Payment completed', cancelled: 'Payment cancelled' }[p.state];
  return JSON.stringify({
    paymentid: id,
    creditpaymentid: r.creditpaymentid ?? null,
    paymentname: r.paymentname,
    paymentstate: {
      state: p.state,
      message,
      qrcode: approved ? null : `http://127.0.0.1:3100/wallet/pay_${id.replace(/-/g, '')}`,
      receiptrow: approved ? 'Wallet payment ref 8F3A21' : '',
      receiptsection: approved ? ['Wallet\tSimPay', 'Ref\t8F3A21', `Amount\t${String(r.amount)} SEK`] : [],
    },
    amount: r.amount,
    currencycode: r.currencycode,
    storeid: r.storeid,
    storename: r.storename,
    storeexternalid: r.storeexternalid,
    posid: r.posid,
    receiptid: r.receiptid,
    customer: r.customer ?? null,
    cartitems: r.cartitems,
  });
}

/** The payment, moved to ready_to_complete once its approval time has passed. */
function current(id: string): FloorPayment | undefined {
  const p = payments.get(id);
  if (p && p.state === 'inprogress' && Date.now() >= p.approvesAt) {
    p.state = 'ready_to_complete';
    p.json = render(id, p);
  }
  return p;
}

async function readBody(req: NodeJS.ReadableStream): Promise<Record<string, unknown>> {
  const chunks: Buffer[] = [];
  for await (const c of req) chunks.push(c as Buffer);
  return JSON.parse(Buffer.concat(chunks).toString('utf8')) as Record<string, unknown>;
}

const app = new Koa();
const router = new Router();
router.post('/payments', async (ctx) => {
  const request = await readBody(ctx.req);
  const id = randomUUID();
  const p: FloorPayment = { request, state: 'inprogress', approvesAt: Date.now() + APPROVE_MS, json: '' };
  p.json = render(id, p);
  payments.set(id, p);
  approvals[id] = p.approvesAt;
  ctx.type = 'application/json';
  ctx.body = JSON.stringify(id);
});
router.get('/payments/:id', (ctx) => {
  const p = current(ctx.params.id ?? '');
  if (!p) return;
  ctx.type = 'application/json';
  ctx.body = p.json;
});
const put = async (ctx: Koa.Context & { params: Record<string, string | undefined> }) => {
  const id = ctx.params.id ?? '';
  const body = await readBody(ctx.req);
  const target = ((body.paymentstate as { state?: string } | undefined)?.state ?? body.state) as string;
  const p = current(id);
  if (!p) return;
  const ok = target === p.state || (target === 'cancelled' && p.state !== 'completed') || (target === 'completed' && p.state === 'ready_to_complete');
  if (!ok) {
    ctx.status = 409;
    ctx.body = { error_code: 'invalid-state', error_data: { message: `the payment is ${p.state}` } };
    return;
  }
  if (target !== p.state) {
    p.state = target as FloorPayment['state'];
    p.json = render(id, p);
  }
  ctx.type = 'application/json';
  ctx.body = p.json;
};
router.put('/payments/:id', put);
router.put('/payment/:id', put);
/** When each payment was approved (ms since the epoch), for the approval-to-ready figure. */
router.get('/floor/approvals', (ctx) => {
  ctx.body = approvals;
});
router.get('/healthz', (ctx) => {
  ctx.body = { ok: true };
});
app.use(router.routes());

const port = Number(process.argv[2] ?? 0);
const server = app.listen(port, '127.0.0.1', () => {
  const address = server.address();
  process.stdout.write(`floor listening ${typeof address === 'object' && address ? address.port : port}\n`);
});
process.once('SIGTERM', () => server.close(() => process.exit(0)));
