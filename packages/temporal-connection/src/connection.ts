import * as fs from 'node:fs';
import type { TLSConfig } from '@temporalio/common/lib/internal-non-workflow';
import { loadClientConnectConfig, type ClientConnectConfig } from '@temporalio/envconfig';
import { ConfigError } from '@payments/config';

type Env = Record<string, string | undefined>;

/**
 * The part of a process's config this needs: where Temporal is (TEMPORAL_ADDRESS,
 * TEMPORAL_NAMESPACE), and the connection variables packages/config declares (TEMPORAL_TLS*,
 * TEMPORAL_API_KEY, …), picked from the environment by the schema.
 */
export interface TemporalSettings {
  temporal: { address: string; namespace: string; connectionEnv: Env };
}

/** Options for `Connection.lazy`/`Connection.connect` (API) and `NativeConnection.connect` (worker) alike. */
export interface TemporalConnectionOptions {
  address: string;
  /** true: TLS with the system's CAs; an object: a CA, a server name and/or a client certificate (mTLS); false: plaintext. */
  tls?: TLSConfig | boolean;
  /** Temporal Cloud API key; turns TLS on unless TEMPORAL_TLS=false. */
  apiKey?: string;
  /** gRPC headers from TEMPORAL_GRPC_META_<NAME>. */
  metadata?: Record<string, string>;
}

/** The envconfig file-or-data pairs, by the variable stem envconfig reads. */
const TLS_SOURCES = ['TEMPORAL_TLS_CLIENT_CERT', 'TEMPORAL_TLS_CLIENT_KEY', 'TEMPORAL_TLS_SERVER_CA_CERT'] as const;

/** Names envconfig reads that this service can't honour: refused rather than silently ignored. */
const UNSUPPORTED: Record<string, string> = {
  TEMPORAL_TLS_DISABLE_HOST_VERIFICATION: 'is not supported by the TypeScript SDK; use TEMPORAL_TLS_SERVER_NAME or a CA that matches the host',
  TEMPORAL_CODEC_ENDPOINT: 'is not supported: this service encodes no payloads (a remote codec serves only UIs and CLIs)',
  TEMPORAL_CODEC_AUTH: 'is not supported: this service encodes no payloads (a remote codec serves only UIs and CLIs)',
};

const given = (env: Env, name: string): boolean => env[name] !== undefined && env[name] !== '';

function checkEnv(env: Env): void {
  for (const [name, why] of Object.entries(UNSUPPORTED)) {
    if (given(env, name) && !(name === 'TEMPORAL_TLS_DISABLE_HOST_VERIFICATION' && /^(0|false)$/.test(env[name] ?? ''))) {
      throw new ConfigError(name, why);
    }
  }
  if (given(env, 'TEMPORAL_TLS') && !/^(0|1|true|false)$/.test(env.TEMPORAL_TLS ?? '')) {
    throw new ConfigError('TEMPORAL_TLS', `must be true or false, got ${JSON.stringify(env.TEMPORAL_TLS)}`);
  }
  for (const stem of TLS_SOURCES) {
    const [pathVar, dataVar] = [`${stem}_PATH`, `${stem}_DATA`];
    if (given(env, pathVar) && given(env, dataVar)) throw new ConfigError(pathVar, `set either ${pathVar} or ${dataVar}, not both`);
    if (given(env, pathVar)) readable(pathVar, env[pathVar] ?? '');
  }
  const cert = given(env, 'TEMPORAL_TLS_CLIENT_CERT_PATH') || given(env, 'TEMPORAL_TLS_CLIENT_CERT_DATA');
  const key = given(env, 'TEMPORAL_TLS_CLIENT_KEY_PATH') || given(env, 'TEMPORAL_TLS_CLIENT_KEY_DATA');
  if (cert && !key) throw new ConfigError('TEMPORAL_TLS_CLIENT_KEY_PATH', 'is required with a client certificate (mTLS needs both)');
  if (key && !cert) throw new ConfigError('TEMPORAL_TLS_CLIENT_CERT_PATH', 'is required with a client key (mTLS needs both)');
  const tlsFiles = TLS_SOURCES.some((s) => given(env, `${s}_PATH`) || given(env, `${s}_DATA`)) || given(env, 'TEMPORAL_TLS_SERVER_NAME');
  if (/^(0|false)$/.test(env.TEMPORAL_TLS ?? '') && tlsFiles) {
    throw new ConfigError('TEMPORAL_TLS', 'is false, but TLS certificates or a server name are set');
  }
  if (given(env, 'TEMPORAL_PROFILE') && !given(env, 'TEMPORAL_CONFIG_FILE')) {
    throw new ConfigError('TEMPORAL_PROFILE', 'needs TEMPORAL_CONFIG_FILE (no default config file is read)');
  }
  if (given(env, 'TEMPORAL_CONFIG_FILE')) readable('TEMPORAL_CONFIG_FILE', env.TEMPORAL_CONFIG_FILE ?? '');
}

function readable(variable: string, file: string): void {
  try {
    fs.accessSync(file, fs.constants.R_OK);
  } catch {
    throw new ConfigError(variable, `cannot read ${JSON.stringify(file)}`);
  }
}

/**
 * How to reach Temporal, for the API's client and the worker alike. TEMPORAL_ADDRESS and
 * TEMPORAL_NAMESPACE come from the service's config; TLS, the API key and gRPC headers come from
 * the `@temporalio/envconfig` variables (TEMPORAL_TLS*, TEMPORAL_API_KEY, TEMPORAL_GRPC_META_*),
 * and from a TOML profile only when TEMPORAL_CONFIG_FILE names one. A bad or contradictory value
 * throws a ConfigError naming the variable.
 */
export function temporalConnectionOptions(config: TemporalSettings): TemporalConnectionOptions {
  const env = config.temporal.connectionEnv;
  checkEnv(env);
  // The service treats an empty variable as unset; envconfig would take it as a value.
  const nonEmpty = Object.fromEntries(Object.entries(env).filter((e): e is [string, string] => e[1] !== undefined && e[1] !== ''));
  const fromFile = given(env, 'TEMPORAL_CONFIG_FILE');
  let loaded: ClientConnectConfig;
  try {
    loaded = loadClientConnectConfig({ disableFile: !fromFile, overrideEnvVars: nonEmpty });
  } catch (err) {
    const why = err instanceof Error ? err.message : String(err);
    throw new ConfigError(fromFile ? 'TEMPORAL_CONFIG_FILE' : 'TEMPORAL_TLS', why);
  }
  // Address and namespace have one source, the config; a profile that disagrees is a mistake to stop on.
  const { address, namespace } = config.temporal;
  const profileAddress = loaded.connectionOptions.address;
  if (profileAddress !== undefined && profileAddress !== address) {
    throw new ConfigError('TEMPORAL_ADDRESS', `is ${address}, but the profile in TEMPORAL_CONFIG_FILE names ${profileAddress}: set TEMPORAL_ADDRESS=${profileAddress}`);
  }
  if (loaded.namespace !== undefined && loaded.namespace !== namespace) {
    throw new ConfigError('TEMPORAL_NAMESPACE', `is ${namespace}, but the profile in TEMPORAL_CONFIG_FILE names ${loaded.namespace}: set TEMPORAL_NAMESPACE=${loaded.namespace}`);
  }
  const { tls, apiKey, metadata } = loaded.connectionOptions;
  const options: TemporalConnectionOptions = { address };
  if (tls !== undefined && tls !== null) options.tls = tls;
  if (typeof apiKey === 'string' && apiKey !== '') options.apiKey = apiKey;
  if (metadata !== undefined && Object.keys(metadata).length > 0) options.metadata = { ...metadata } as Record<string, string>;
  return options;
}
