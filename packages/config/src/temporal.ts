import { definePart } from './part';
import { described, hostPort, text } from './variable';

export const TEMPORAL_ADDRESS = hostPort({ name: 'TEMPORAL_ADDRESS', default: '127.0.0.1:7233', meaning: 'the Temporal frontend (the dev server listens on its port)' });
export const TEMPORAL_NAMESPACE = text({ name: 'TEMPORAL_NAMESPACE', default: 'default', meaning: 'the Temporal namespace of the payments' });
export const TEMPORAL_TASK_QUEUE = text({ name: 'TEMPORAL_TASK_QUEUE', default: 'payments', meaning: 'the task queue the API starts payments on and the workers poll' });

/** `@temporalio/envconfig`'s names: checked together in packages/temporal-connection, which hands them to envconfig. */
const envconfig = (name: string, rule: string, meaning: string, secret = false) => described({ name, rule, meaning, secret });
export const TEMPORAL_CONNECTION_VARIABLES = [
  envconfig('TEMPORAL_API_KEY', 'text', 'Temporal Cloud API key; turns TLS on unless TEMPORAL_TLS=false', true),
  envconfig('TEMPORAL_TLS', 'true | false', 'TLS to the frontend (with the system CAs unless a CA is given); on by default with an API key or certificates'),
  envconfig('TEMPORAL_TLS_CLIENT_CERT_PATH', 'file path', 'mTLS: the client certificate (PEM); with TEMPORAL_TLS_CLIENT_KEY_PATH'),
  envconfig('TEMPORAL_TLS_CLIENT_CERT_DATA', 'PEM text', 'mTLS: the client certificate inline, instead of the path'),
  envconfig('TEMPORAL_TLS_CLIENT_KEY_PATH', 'file path', 'mTLS: the client private key (PEM)'),
  envconfig('TEMPORAL_TLS_CLIENT_KEY_DATA', 'PEM text', 'mTLS: the client private key inline, instead of the path', true),
  envconfig('TEMPORAL_TLS_SERVER_CA_CERT_PATH', 'file path', 'the CA that signed the frontend’s certificate (PEM)'),
  envconfig('TEMPORAL_TLS_SERVER_CA_CERT_DATA', 'PEM text', 'that CA inline, instead of the path'),
  envconfig('TEMPORAL_TLS_SERVER_NAME', 'host name', 'the name to verify the frontend’s certificate against'),
  envconfig('TEMPORAL_GRPC_META_<NAME>', 'text', 'a gRPC header on every call, named by the suffix (lower case, _ as -)'),
  envconfig('TEMPORAL_CONFIG_FILE', 'file path', 'a TOML profile file; only read when named (its address and namespace must agree with the variables)'),
  envconfig('TEMPORAL_PROFILE', 'text', 'the profile in TEMPORAL_CONFIG_FILE (default: default)'),
  envconfig('TEMPORAL_TLS_DISABLE_HOST_VERIFICATION', 'false', 'refused when true: the TypeScript SDK cannot skip host verification'),
  envconfig('TEMPORAL_CODEC_ENDPOINT', '—', 'refused: this service encodes no payloads'),
  envconfig('TEMPORAL_CODEC_AUTH', '—', 'refused: this service encodes no payloads', true),
];

/**
 * Where Temporal is and how to reach it, for the API and the workers. `connectionEnv` holds the
 * declared connection variables only, for packages/temporal-connection to check and hand to envconfig.
 */
export const temporalConnection = definePart(
  'temporal connection',
  [TEMPORAL_ADDRESS, TEMPORAL_NAMESPACE, TEMPORAL_TASK_QUEUE, ...TEMPORAL_CONNECTION_VARIABLES],
  (env) => ({
    address: TEMPORAL_ADDRESS.read(env),
    namespace: TEMPORAL_NAMESPACE.read(env),
    taskQueue: TEMPORAL_TASK_QUEUE.read(env),
    connectionEnv: env,
  }),
);
