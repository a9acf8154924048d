import { HOST, PORT } from './api-http';
import { SPI_CREDENTIALS } from './credentials';
import { LOG_FORMAT } from './logging';
import { definePart } from './part';
import { NODE_ENV } from './schema';
import { DATA_DIR, SIM_APPROVE_DELAY_MS, SIM_PORT } from './simulator';
import { TEMPORAL_ADDRESS, TEMPORAL_NAMESPACE } from './temporal';
import { VIEW_PUSH_PORT } from './view-push';
import { WORKER_METRICS_PORT } from './worker-runtime';
import { described, wholeNumber } from './variable';

// The variables of the scripts and tools around the service. The scripts are plain Node and run
// before `npm ci` (temporal/settings.mjs, temporal/cluster.mjs, scripts/*.mjs), so they parse
// their few variables themselves; declared here so that the reference lists them and a test
// holds the scripts' names and defaults to these declarations.
const none = () => ({});

export const TEMPORAL_UI_PORT = wholeNumber({ name: 'TEMPORAL_UI_PORT', default: 8233, min: 1, max: 65535, meaning: 'Temporal Web (the dev server’s UI; the cluster’s Web UI)' });

/** The dev server: `npm run temporal`, and the Temporal that `npm start` runs. */
export const devServer = definePart('dev server', [TEMPORAL_ADDRESS, TEMPORAL_UI_PORT, TEMPORAL_NAMESPACE, DATA_DIR], none);

/** What `npm start` and `npm run cluster` read for themselves: where the API and simulator are, what to print, how the children log. */
export const launcher = definePart('launcher', [HOST, PORT, SIM_PORT, SPI_CREDENTIALS, LOG_FORMAT, NODE_ENV], none);

/** `npm run cluster`'s per-instance ports (the API's push listeners, the workers' metrics). */
export const clusterPorts = definePart('cluster ports', [VIEW_PUSH_PORT, WORKER_METRICS_PORT], none);

export const NUM_HISTORY_SHARDS = wholeNumber({ name: 'NUM_HISTORY_SHARDS', default: 4, min: 1, max: 16384, meaning: 'the Temporal server’s history shards (fixed once its database exists)' });
export const POSTGRES_PORT = wholeNumber({ name: 'POSTGRES_PORT', default: 5433, min: 1, max: 65535, meaning: 'the port of the cluster’s own PostgreSQL' });
export const POSTGRES_USER = described({ name: 'POSTGRES_USER', rule: 'text', default: 'temporal', meaning: 'the cluster’s PostgreSQL user' });
export const POSTGRES_PASSWORD = described({ name: 'POSTGRES_PASSWORD', rule: 'text', default: 'temporal', secret: true, meaning: 'that user’s password' });
export const TEMPORAL_NAMESPACE_RETENTION = described({
  name: 'TEMPORAL_NAMESPACE_RETENTION',
  rule: 'duration, e.g. 720h',
  defaultText: 'deploy/temporal’s default',
  meaning: 'how long closed payments’ histories are kept, set when the namespace is created',
});

/** The Temporal server on PostgreSQL that `npm run cluster` runs. */
export const cluster = definePart('cluster', [NUM_HISTORY_SHARDS, POSTGRES_PORT, POSTGRES_USER, POSTGRES_PASSWORD, TEMPORAL_NAMESPACE_RETENTION], none);

export const TEMPORAL_CLI = described({ name: 'TEMPORAL_CLI', rule: 'file path', defaultText: 'the pinned CLI, built into ~/.cache/sitoo-payments', meaning: 'a `temporal` CLI to use instead of building the pinned one' });
export const TEMPORAL_SERVER_DIR = described({ name: 'TEMPORAL_SERVER_DIR', rule: 'directory', defaultText: 'built into ~/.cache/sitoo-payments', meaning: 'a folder holding the Temporal server’s binaries, instead of building them' });
export const PG_BIN_DIR = described({ name: 'PG_BIN_DIR', rule: 'directory', defaultText: 'found on the system', meaning: 'a folder holding PostgreSQL’s initdb and postgres' });

/** The pinned Temporal CLI (the dev server), obtained when missing. */
export const temporalCli = definePart('temporal cli', [TEMPORAL_CLI], none);

/** The cluster's binaries, obtained when missing. */
export const clusterBinaries = definePart('cluster binaries', [TEMPORAL_SERVER_DIR, PG_BIN_DIR], none);

export const CHROMIUM_PATH = described({ name: 'CHROMIUM_PATH', rule: 'file path', default: '/usr/bin/chromium', meaning: 'the headless Chromium the browser test drives' });
export const CI = described({ name: 'CI', rule: 'true | anything else', meaning: '`true`: `npm test` runs turbo with a fixed concurrency' });
export const TEMPORAL_TEST_ADDRESS = described({
  name: 'TEMPORAL_TEST_ADDRESS',
  rule: 'host:port',
  defaultText: 'a dev server per test run',
  meaning: 'the unit tests’ Temporal: a server already running, instead of one started for the run',
});
export const TEMPORAL_TEST_NAMESPACE = described({ name: 'TEMPORAL_TEST_NAMESPACE', rule: 'text', default: 'default', meaning: 'the namespace on TEMPORAL_TEST_ADDRESS' });
export const RECORD_HISTORIES = described({ name: 'RECORD_HISTORIES', rule: 'any non-empty value', meaning: 'the workflow tests write their histories as the replay fixtures' });

/** The tests' own switches. */
export const testing = definePart('tests', [CHROMIUM_PATH, CI, TEMPORAL_TEST_ADDRESS, TEMPORAL_TEST_NAMESPACE, RECORD_HISTORIES], none);

export const BENCH_MEMORY_FILE = described({ name: 'BENCH_MEMORY_FILE', rule: 'file path', meaning: 'set by the bench for the processes it measures: where each writes its heap figures' });

/** The bench's own variables, besides those it sets for the processes it runs. */
export const bench = definePart('bench', [BENCH_MEMORY_FILE, SIM_APPROVE_DELAY_MS], none);

export const SPI_URL = described({ name: 'SPI_URL', rule: 'URL', defaultText: 'http://127.0.0.1:<PORT>', meaning: 'the SPI the register CLI and the contract’s example call' });
export const SPI_USER = described({ name: 'SPI_USER', rule: 'text', default: 'demo', meaning: 'their username' });
export const SPI_PASSWORD = described({ name: 'SPI_PASSWORD', rule: 'text', default: 'demo', secret: true, meaning: 'their password' });

/** `npm run pos` (a register in the terminal) and `npm run example:sale`: the SPI they call. */
export const spiClient = definePart('spi client', [SPI_URL, SPI_USER, SPI_PASSWORD, PORT], none);
