import pino from 'pino';
import { loadWorkerConfig } from '@payments/config';
import { runtimeOptions } from './runtime';

const logger = pino({ level: 'silent' });

test('the metrics endpoint binds WORKER_METRICS_HOST:WORKER_METRICS_PORT (IPv6 hosts in brackets)', () => {
  const at = (env: Record<string, string>) => {
    const metrics = runtimeOptions(loadWorkerConfig(env), logger).telemetryOptions?.metrics;
    return metrics && 'prometheus' in metrics ? metrics.prometheus.bindAddress : undefined;
  };
  expect(at({})).toBe('127.0.0.1:9464');
  expect(at({ WORKER_METRICS_HOST: '0.0.0.0', WORKER_METRICS_PORT: '9100' })).toBe('0.0.0.0:9100');
  expect(at({ WORKER_METRICS_HOST: '::1' })).toBe('[::1]:9464');
});

test('the Core’s logs are forwarded to our logger, one step quieter than LOG_LEVEL', () => {
  const logging = (env: Record<string, string>) => runtimeOptions(loadWorkerConfig(env), logger).telemetryOptions?.logging;
  expect(logging({})).toMatchObject({ forward: {}, filter: expect.stringMatching(/temporalio_sdk_core=WARN/) });
  expect(logging({ LOG_LEVEL: 'debug' })?.filter).toMatch(/temporalio_sdk_core=INFO/);
  expect(logging({ LOG_LEVEL: 'error' })?.filter).toMatch(/temporalio_sdk_core=ERROR/);
});
