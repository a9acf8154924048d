import * as http from 'node:http';
import type { AddressInfo } from 'node:net';
import Koa from 'koa';
import { acquirerCallbackRoutes } from './acquirer-callback-routes';
import { AcquirerCallbacks, type AcquirerCallbackEndpoint } from './acquirer-callbacks';
import { acquirerRoutes } from './acquirer-routes';
import { Faults } from './faults';
import { injectionRoutes } from './injection-routes';
import { LedgerStore } from './ledger-store';
import { recordRoutes } from './record-routes';
import { simRoutes } from './sim-routes';
import { SimAcquirer } from './sim-acquirer';
import { SimError } from './sim-error';
import { SimTerminal } from './sim-terminal';
import {
  StripeSim,
  StripeWebhooks,
  intentObject,
  stripeFaultRoutes,
  stripeLedgerEntries,
  stripeRoutes,
  stripeSwishRoutes,
  stripeWebhookRoutes,
  type StripeWebhookEndpoint,
} from './stripe';
import { terminalRoutes } from './terminal-routes';
import { VippsSim, VippsWebhooks, vippsPageRoutes, vippsReportRoutes, vippsRoutes, vippsSimRoutes, type VippsWebhookEndpoint } from './vipps';
import { Waiters } from './waiters';
import { walletRoutes } from './wallet-routes';

export interface SimulatorOptions {
  /** The ledger file (`${DATA_DIR}/simulator-ledger.json`); created when missing. */
  ledgerPath: string;
  /** How long the simulated customer takes to answer (SIM_APPROVE_DELAY_MS). */
  approveDelayMs: number;
  /** Base of the wallet page URLs put in QR codes; by default the address the caller used. */
  publicUrl?: string;
  /** Epoch milliseconds, for timestamps and due times. */
  clock?: () => number;
  /** How long each call on a .55 payment takes (5 s by default; tests shorten it). */
  slowCallMs?: number;
  /** A card never presented (.52) times out at the terminal after this; 0 (default): never. */
  terminalIdleTimeoutMs?: number;
  /** Where the simulated Stripe sends its signed webhooks (SIM_STRIPE_WEBHOOK_URL/SECRET); none by default. */
  stripeWebhook?: StripeWebhookEndpoint | null;
  /** The first retry's wait of a webhook that was not answered 2xx (doubling after). */
  stripeWebhookRetryBaseMs?: number;
  /** Where the simulated Vipps sends every ePayment webhook (SIM_VIPPS_WEBHOOK_URL/SECRET), besides registered ones; none by default. */
  vippsWebhook?: VippsWebhookEndpoint | null;
  /** The first retry's wait of a Vipps webhook that was not answered 2xx (doubling after). */
  vippsWebhookRetryBaseMs?: number;
  /** Where the acquirer sends its signed events (SIM_ACQUIRER_CALLBACK_URL/SECRET: the API's /callbacks/acquirer); none by default. */
  acquirerCallback?: AcquirerCallbackEndpoint | null;
  /** The first retry's wait of an acquirer event that was not answered 2xx (doubling after). */
  acquirerCallbackRetryBaseMs?: number;
  /** One JSON object per line to the operator's log; silent by default. */
  log?: (line: Record<string, unknown>) => void;
}

/** A running simulator: its Koa app, a way to listen, and close() that flushes the ledger. */
export interface Simulator {
  app: Koa;
  /** Listens on host:port (port 0: any free port) and answers the server and its base URL. */
  listen(port: number, host?: string): Promise<{ server: http.Server; url: string }>;
  /** Stops timers, answers open long-polls, closes the servers it listens on and writes the ledger. */
  close(): Promise<void>;
}

/** Builds the acquirer, terminal and wallet stand-in over the ledger at ledgerPath. */
export async function createSimulator(options: SimulatorOptions): Promise<Simulator> {
  const clock = options.clock ?? Date.now;
  const log = options.log ?? (() => undefined);
  const store = await LedgerStore.open(options.ledgerPath);
  const waiters = new Waiters();
  const faults = new Faults(options.slowCallMs ?? 5_000);
  const callbacks = new AcquirerCallbacks({ endpoint: options.acquirerCallback ?? null, clock, log, retryBaseMs: options.acquirerCallbackRetryBaseMs });
  const terminal = new SimTerminal({
    store,
    waiters,
    clock,
    approveDelayMs: options.approveDelayMs,
    idleTimeoutMs: options.terminalIdleTimeoutMs ?? 0,
    log,
    onChange: (tx) => callbacks.raise(tx.reference, `terminal.${tx.status}`),
  });
  const acquirer = new SimAcquirer({
    store,
    waiters,
    clock,
    approveDelayMs: options.approveDelayMs,
    lookupCard: (token) => terminal.lookupCard(token),
    log,
    onChange: (rec) => callbacks.raise(rec.reference, `payment.${rec.status}`),
  });
  const webhooks = new StripeWebhooks({ endpoint: options.stripeWebhook ?? null, clock, log, retryBaseMs: options.stripeWebhookRetryBaseMs }, () => stripe.state);
  const stripe = new StripeSim({ store, clock, approveDelayMs: options.approveDelayMs, log, onChange: (change) => webhooks.raise(change) }, (rec) => intentObject(rec));
  const vippsHooks = new VippsWebhooks({ endpoint: options.vippsWebhook ?? null, clock, log, retryBaseMs: options.vippsWebhookRetryBaseMs, registrations: () => Object.values(vipps.state.webhooks) });
  const vipps = new VippsSim({ store, clock, approveDelayMs: options.approveDelayMs, log, onEvent: (rec, event) => vippsHooks.raise(rec, event) });
  // Koa 3's ctx.origin is the Origin header; the address the caller used is protocol + Host.
  const publicUrl = (ctx: Koa.Context) => options.publicUrl ?? `${ctx.protocol}://${ctx.host}`;

  let closing = false;
  const app = new Koa();
  app.use(async (ctx, next) => {
    try {
      await next();
      if (ctx.status === 404 && ctx.body === undefined) {
        ctx.status = 404;
        ctx.body = { error: 'not-found', message: `no route ${ctx.method} ${ctx.path}` };
      }
    } catch (err) {
      if (err instanceof SimError) {
        ctx.status = err.status;
        ctx.body = { ...err.extra, error: err.code, message: err.message };
        return;
      }
      log({ level: 'error', msg: 'request failed', method: ctx.method, path: ctx.path, err: String(err) });
      ctx.status = 500;
      ctx.body = { error: 'internal', message: 'internal error' };
    } finally {
      // While closing, answers end their keep-alive connection so the server can close at once.
      if (closing) ctx.set('Connection', 'close');
    }
  });
  for (const router of [
    simRoutes({ store, faults, moreLedger: () => stripeLedgerEntries(stripe.state) }),
    acquirerRoutes({ acquirer, faults, store, publicUrl }),
    acquirerCallbackRoutes(callbacks),
    recordRoutes({ store, faults }),
    injectionRoutes({ store, clock }),
    terminalRoutes({ terminal, store }),
    walletRoutes({ acquirer, store }),
    stripeRoutes({ stripe, faults, store, publicUrl }),
    stripeSwishRoutes({ stripe, store, clock }),
    stripeFaultRoutes(stripe.faults),
    stripeWebhookRoutes(webhooks),
    vippsRoutes({ vipps, faults, store, publicUrl, log }),
    vippsPageRoutes({ vipps, store, publicUrl }),
    vippsSimRoutes({ vipps, webhooks: vippsHooks, store }),
    vippsReportRoutes({ vipps, faults, store }),
  ]) {
    app.use(router.routes()).use(router.allowedMethods());
  }

  acquirer.resume();
  terminal.resume();
  stripe.resume();
  vipps.resume();

  const servers = new Set<http.Server>();
  return {
    app,
    listen: (port, host = '127.0.0.1') =>
      new Promise((resolve, reject) => {
        const server = http.createServer(app.callback());
        server.once('error', reject);
        server.listen(port, host, () => {
          servers.add(server);
          const { port: bound } = server.address() as AddressInfo;
          const shown = host.includes(':') ? `[${host}]` : host;
          resolve({ server, url: `http://${shown}:${bound}` });
        });
      }),
    close: async () => {
      closing = true;
      acquirer.close();
      terminal.close();
      callbacks.close();
      stripe.close();
      webhooks.close();
      vipps.close();
      vippsHooks.close();
      faults.close();
      waiters.close();
      await Promise.all(
        [...servers].map(
          (server) =>
            new Promise<void>((resolve) => {
              server.close(() => resolve());
              server.closeIdleConnections();
            }),
        ),
      );
      servers.clear();
      await store.commit();
    },
  };
}
