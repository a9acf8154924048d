import { acquirerCallbacks } from './acquirer-callbacks';
import { apiHttp } from './api-http';
import { spiCredentials } from './credentials';
import { logging } from './logging';
import { overload } from './overload';
import { paymentMethods } from './payment-methods';
import { providers } from './providers';
import { reconciliation } from './reconciliation';
import { defineSchema, describeReader, loadOrExit, type Schema } from './schema';
import { security } from './security';
import { simulator, storage } from './simulator';
import { stripeWebhooks } from './stripe-webhooks';
import { vippsWebhooks } from './vipps-webhooks';
import { temporalConnection } from './temporal';
import { timers } from './timers';
import { bench, cluster, clusterBinaries, clusterPorts, devServer, launcher, spiClient, temporalCli, testing } from './tooling';
import { viewPushListener, viewPushSender } from './view-push';
import { walletProviders } from './wallet-providers';
import { workerRuntime } from './worker-runtime';
import type { Env } from './variable';

/** The API: the SPI, its defences, admission control, the views it holds, and the workflows it starts. */
export const apiSchema = defineSchema(
  'api',
  'the SPI that Sitoo POS calls (apps/api)',
  { spiCredentials, logging, temporalConnection, paymentMethods, apiHttp, timers, viewPushListener, overload, security, stripeWebhooks, vippsWebhooks },
  (p, { production }) => ({
    production,
    ...p.logging,
    api: { ...p.apiHttp, credentials: p.spiCredentials.credentials, credentialsFile: p.spiCredentials.file, methods: p.paymentMethods },
    temporal: p.temporalConnection,
    timers: p.timers,
    viewPush: p.viewPushListener,
    overload: p.overload,
    security: p.security,
    stripeWebhooks: p.stripeWebhooks,
    vippsWebhooks: p.vippsWebhooks,
  }),
);

/** The worker: the payment workflows and their activities, the providers they call, the views it pushes. */
export const workerSchema = defineSchema(
  'worker',
  'the Temporal worker (apps/worker)',
  { logging, temporalConnection, workerRuntime, viewPushSender, providers, acquirerCallbacks, walletProviders, reconciliation },
  (p, { production }) => ({
    production,
    ...p.logging,
    temporal: p.temporalConnection,
    worker: p.workerRuntime,
    viewPush: p.viewPushSender,
    ...p.providers,
    acquirerCallbacks: p.acquirerCallbacks,
    ...p.walletProviders,
    reconciliation: p.reconciliation,
  }),
);

/** The simulator: acquirer, card terminals, wallet page and ledger. */
export const simulatorSchema = defineSchema('simulator', 'the acquirer, terminal and wallet stand-in (apps/simulator)', { logging, storage, simulator }, (p, { production }) => ({
  production,
  ...p.logging,
  dataDir: p.storage.dataDir,
  simulator: p.simulator,
}));

export type ApiConfig = ReturnType<typeof apiSchema.load>;
export type WorkerConfig = ReturnType<typeof workerSchema.load>;
export type SimulatorConfig = ReturnType<typeof simulatorSchema.load>;

/** The API's config from `env`; a bad value throws a ConfigError naming the variable. */
export const loadApiConfig = (env: Env = process.env): ApiConfig => apiSchema.load(env);
/** The worker's config from `env`: no SPI credentials, listener or admission settings asked for. */
export const loadWorkerConfig = (env: Env = process.env): WorkerConfig => workerSchema.load(env);
/** The simulator's config from `env`. */
export const loadSimulatorConfig = (env: Env = process.env): SimulatorConfig => simulatorSchema.load(env);
/** For main.ts: each process's config, or the one line naming the bad variable and exit 78. */
export const loadApiConfigOrExit = (env: Env = process.env): ApiConfig => loadOrExit(apiSchema, env);
export const loadWorkerConfigOrExit = (env: Env = process.env): WorkerConfig => loadOrExit(workerSchema, env);
export const loadSimulatorConfigOrExit = (env: Env = process.env): SimulatorConfig => loadOrExit(simulatorSchema, env);

/** Every reader of the environment, the service's processes first: what docs/configuration.md is generated from. */
export const SCHEMAS: readonly Schema<unknown>[] = Object.freeze([
  apiSchema,
  workerSchema,
  simulatorSchema,
  describeReader('pos', 'a register in the terminal, and the contract’s example (apps/pos, packages/contract/examples)', [spiClient]),
  describeReader('npm start', 'scripts/start.mjs: Temporal, worker, API and simulator on one machine', [devServer, launcher, temporalCli]),
  describeReader('npm run temporal', 'temporal/start-dev.mjs: the dev server alone', [devServer, temporalCli]),
  describeReader('npm run cluster', 'scripts/cluster.mjs: the production topology on one machine', [devServer, launcher, clusterPorts, cluster, clusterBinaries, temporalCli]),
  describeReader('tests', 'npm test: unit and end-to-end tests', [testing, temporalCli, clusterBinaries]),
  describeReader('bench', 'npm run bench', [bench]),
]);
