import { Client, Connection } from '@temporalio/client';
import { loadApiConfigOrExit } from '@payments/config';
import { orExitOnConfigError, temporalConnectionOptions } from '@payments/temporal-connection';
import { createApiServer, createLogger } from './http';
import { createApp } from './app';
import { CredentialStore, rereadCredentials } from './auth';
import { PaymentViews, createViewPushServer } from './views';

/** Wires config, logger and a lazily connecting Temporal client into the app, listens, and stops cleanly. */
function main(): void {
  const config = loadApiConfigOrExit();
  const logger = createLogger(config.logLevel, undefined, config.logFormat);
  // Lazy: the API starts and answers 503 while Temporal is down, and reconnects when it is back.
  const connection = Connection.lazy(orExitOnConfigError(() => temporalConnectionOptions(config)));
  const client = new Client({ connection, namespace: config.temporal.namespace });
  const views = new PaymentViews({ trustMs: config.viewPush.trustMs, maxChecks: config.overload.viewChecksInFlight });
  const credentials = new CredentialStore(config.api.credentials);
  let stopping = false;
  const app = createApp({ config, temporal: { client, taskQueue: config.temporal.taskQueue }, logger, views, credentials, draining: () => stopping });
  // Password rotation without a restart: SIGHUP re-reads SPI_CREDENTIALS_FILE (a bad file changes
  // nothing). Without the file SIGHUP keeps its default, so a closed terminal still stops the API.
  if (config.api.credentialsFile !== null) {
    process.on('SIGHUP', () => rereadCredentials({ store: credentials, env: process.env, production: config.production, logger }));
  }
  // The workers' pushes of payment views, on a listener of its own (off with VIEW_PUSH_PORT=0).
  const { viewPush } = config;
  const pushServer =
    viewPush.port === 0 ? null : createViewPushServer({ views, secret: viewPush.secret, toleranceMs: config.security.acquirerCallback.toleranceMs, logger });
  pushServer?.listen(viewPush.port, viewPush.host, () => logger.info({ url: `http://${viewPush.host}:${viewPush.port}/views` }, 'view push listener'));
  pushServer?.on('error', (err) => {
    logger.fatal({ err }, 'api could not listen for view pushes (VIEW_PUSH_PORT in use?)');
    process.exit(1);
  });

  const server = createApiServer(app.callback(), config.security.tls);
  server.listen(config.api.port, config.api.host, () => {
    const scheme = config.security.tls ? 'https' : 'http';
    logger.info({ url: `${scheme}://${config.api.host}:${config.api.port}`, temporal: config.temporal.address }, 'api listening');
  });

  /**
   * SIGTERM in a rolling deploy: /readyz answers 503 at once, and the API goes on answering
   * registers for API_DRAIN_MS, while the load balancer's probes take it out; then it stops
   * accepting connections, finishes the requests in flight (each at most the Temporal
   * deadline), and exits. The workers' pushes keep arriving while it drains.
   */
  const stop = (signal: string) => {
    if (stopping) return;
    stopping = true;
    logger.info({ signal, drainMs: config.api.drainMs }, 'api draining: /readyz answers 503');
    const drained = setTimeout(close, config.api.drainMs);
    drained.unref();
  };
  const close = () => {
    logger.info('api stopping');
    const force = setTimeout(() => process.exit(1), 10_000);
    force.unref();
    pushServer?.close();
    pushServer?.closeAllConnections();
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
