import * as path from 'node:path';
import { loadCredentials } from './credentials';
import { ConfigError, address, int, json, oneOf, str, url } from './env';
import { providersConfig } from './providers';
import { securityConfig } from './security';
import { viewPushConfig } from './view-push';
import { overloadConfig } from './overload';

export type PaymentMethod = 'wallet' | 'card';

const MINUTE = 60_000;

/** pino's levels, most severe first; `silent` logs nothing. */
export const LOG_LEVELS = ['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent'] as const;
export type LogLevel = (typeof LOG_LEVELS)[number];
/** LOG_FORMAT: JSON lines, one short line per event, or (`auto`) pretty only on a terminal and never in production. */
export const LOG_FORMATS = ['json', 'pretty', 'auto'] as const;
export type LogFormatSetting = (typeof LOG_FORMATS)[number];

function checkMethods(v: unknown): string | null {
  if (typeof v !== 'object' || v === null || Array.isArray(v)) return 'must be a JSON object {"merchant": "wallet" | "card"}';
  for (const [m, method] of Object.entries(v)) {
    if (method !== 'wallet' && method !== 'card') return `merchant ${JSON.stringify(m)}: method must be "wallet" or "card"`;
  }
  return null;
}

/**
 * Every setting of every process, parsed once from the environment (names in
 * docs/runtime.md). A bad value throws a ConfigError naming the variable.
 */
export function loadConfig(env: Record<string, string | undefined> = process.env) {
  const production = env.NODE_ENV === 'production';
  // The credentials come first: without them in production, nothing else matters.
  const { credentials, file: credentialsFile } = loadCredentials(env, production);
  const temporalAddress = address(env, 'TEMPORAL_ADDRESS', '127.0.0.1:7233');
  const methods = json<Record<string, PaymentMethod>>(env, 'MERCHANT_PAYMENT_METHODS', {}, checkMethods);
  const config = {
    production,
    logLevel: oneOf<LogLevel>(env, 'LOG_LEVEL', LOG_LEVELS, env.NODE_ENV === 'development' ? 'debug' : 'info'),
    logFormat: oneOf<LogFormatSetting>(env, 'LOG_FORMAT', LOG_FORMATS, production ? 'json' : 'auto'),
    api: {
      host: str(env, 'HOST', '127.0.0.1'),
      port: int(env, 'PORT', 3000, { max: 65535 }),
      credentials,
      /** SPI_CREDENTIALS_FILE, re-read on SIGHUP; null when the credentials came from SPI_CREDENTIALS. */
      credentialsFile,
      /** Per merchant; merchants not named pay by wallet. */
      methods,
      /** Bodies above this are refused with 413. */
      bodyLimitBytes: int(env, 'BODY_LIMIT_BYTES', 256 * 1024, { min: 1024 }),
      /** Deadline of every Temporal call made while a register waits. */
      temporalDeadlineMs: int(env, 'TEMPORAL_CALL_DEADLINE_MS', 800, { min: 50, max: 9000 }),
    },
    temporal: {
      address: temporalAddress,
      namespace: str(env, 'TEMPORAL_NAMESPACE', 'default'),
      taskQueue: str(env, 'TEMPORAL_TASK_QUEUE', 'payments'),
      uiPort: int(env, 'TEMPORAL_UI_PORT', 8233, { max: 65535 }),
    },
    timers: {
      expiryMs: int(env, 'PAYMENT_EXPIRY_MS', 3 * MINUTE, { min: 1 }),
      ackTimeoutMs: int(env, 'ACK_TIMEOUT_MS', 3 * MINUTE, { min: 1 }),
      lateCancelWindowMs: int(env, 'LATE_CANCEL_WINDOW_MS', 30 * MINUTE),
      refundWindowMs: int(env, 'REFUND_WINDOW_MS', 30 * 24 * 60 * MINUTE),
    },
    worker: {
      /** Where the worker serves Prometheus metrics (Temporal SDK's and ours) at /metrics. */
      metricsHost: str(env, 'WORKER_METRICS_HOST', '127.0.0.1'),
      metricsPort: int(env, 'WORKER_METRICS_PORT', 9464, { min: 1, max: 65535 }),
      /**
       * Frames kept in the stack traces of workflow code (WORKFLOW_STACK_TRACE_LIMIT). The SDK
       * records a stack trace for every promise a workflow creates, which cost about a third of
       * the workflow thread's CPU with V8's default of 10 (measured by replaying the recorded
       * histories); 0 keeps only the messages. Set 10 while debugging a stuck payment to get the
       * stack trace query in Temporal Web back. Activities keep their full stack traces.
       */
      workflowStackTraceLimit: int(env, 'WORKFLOW_STACK_TRACE_LIMIT', 0, { max: 100 }),
    },
    /** The worker's pushes of each payment's view to the API (view-push.ts). */
    viewPush: viewPushConfig(env, production),
    /** Admission control, the background budget, the start window (overload.ts). */
    overload: overloadConfig(env),
    /** HTTPS, rate limits, failed-login limits, acquirer callbacks (security.ts). */
    security: securityConfig(env),
    acquirerUrl: url(env, 'ACQUIRER_URL', 'http://127.0.0.1:3100'),
    /** Merchants on a real card provider (Stripe Terminal), with their keys and readers (providers.ts). */
    cardProviders: providersConfig(env, { production, methods }),
    dataDir: path.resolve(str(env, 'DATA_DIR', '.data')),
    simulator: {
      host: str(env, 'SIM_HOST', '127.0.0.1'),
      port: int(env, 'SIM_PORT', 3100, { max: 65535 }),
      approveDelayMs: int(env, 'SIM_APPROVE_DELAY_MS', 2000),
      /** The address put in QR codes; a phone on the same network needs the machine's address. */
      publicUrl: url(env, 'SIM_PUBLIC_URL', `http://127.0.0.1:${int(env, 'SIM_PORT', 3100, { max: 65535 })}`),
    },
  };
  return deepFreeze(config);
}

export type Config = ReturnType<typeof loadConfig>;

function deepFreeze<T>(o: T): T {
  if (o && typeof o === 'object') {
    for (const v of Object.values(o)) deepFreeze(v);
    Object.freeze(o);
  }
  return o;
}

/** For main.ts: load the config, or print the one line that names the bad variable and exit. */
export function loadConfigOrExit(env: Record<string, string | undefined> = process.env): Config {
  try {
    return loadConfig(env);
  } catch (err) {
    if (err instanceof ConfigError) {
      process.stderr.write(`configuration error: ${err.message}\n`);
      process.exit(78); // EX_CONFIG
    }
    throw err;
  }
}
