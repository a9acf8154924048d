import { Client, Connection } from '@temporalio/client';
import pino from 'pino';
import { loadConfigOrExit } from '@payments/config';
import { createApp } from './app';

/** Wires config, logger and a lazily connecting Temporal client into the app, listens, and stops cleanly. */
function main(): void {
  const config = loadConfigOrExit();
  const logger = pino({
    level: config.logLevel,
    base: { service: 'api' },
    redact: { paths: ['authorization', '*.authorization', '*.password', 'customer.mobile', '*.customer.mobile'], censor: '[redacted]' },
  });
  // Lazy: the API starts and answers 503 while Temporal is down, and reconnects when it is back.
  const connection = Connection.lazy({ address: config.temporal.address });
  const client = new Client({ connection, namespace: config.temporal.namespace });
  const app = createApp({ config, temporal: { client, taskQueue: config.temporal.taskQueue }, logger });

  const server = app.listen(config.api.port, config.api.host, () => {
    logger.info({ url: `http://${config.api.host}:${config.api.port}`, temporal: config.temporal.address }, 'api listening');
  });
  server.requestTimeout = 10_000;
  server.headersTimeout = 10_000;

  let stopping = false;
  const stop = (signal: string) => {
    if (stopping) return;
    stopping = true;
    logger.info({ signal }, 'api stopping');
    const force = setTimeout(() => process.exit(1), 10_000);
    force.unref();
    server.close(() => {
      connection
        .close()
        .catch((err: unknown) => logger.warn({ err }, 'closing the Temporal connection failed'))
        .finally(() => {
          logger.info('api stopped');
          process.exit(0);
        });
    });
    server.closeIdleConnections();
  };
  process.once('SIGTERM', () => stop('SIGTERM'));
  process.once('SIGINT', () => stop('SIGINT'));
  server.on('error', (err) => {
    logger.fatal({ err }, 'api could not listen');
    process.exit(1);
  });
}

main();
