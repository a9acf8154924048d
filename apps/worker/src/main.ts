import { Runtime } from '@temporalio/worker';
import { ConfigError, loadWorkerConfigOrExit } from '@payments/config';
import { createLogger } from './logger';
import { activityMetrics, runtimeOptions, stripeMetrics } from './runtime';
import { ViewPusher } from './view-pusher';
import { createWorker } from './worker';
import { limitWorkflowStackTraces } from './workflow-stack-traces';

async function main(): Promise<void> {
  const config = loadWorkerConfigOrExit();
  const logger = createLogger(config.logLevel, undefined, config.logFormat);
  let runtime: Runtime;
  try {
    runtime = Runtime.install(runtimeOptions(config, logger));
  } catch (err) {
    // Most likely the metrics port is taken: say which setting to change.
    const metrics = `${config.worker.metricsHost}:${config.worker.metricsPort}`;
    logger.fatal({ err, metrics }, 'worker could not start its runtime (WORKER_METRICS_PORT in use?)');
    process.exit(1);
  }
  const pushes = runtime.metricMeter.createCounter('payment_view_pushes_total', 'views', 'Views pushed to the API, by outcome (sent, dropped)');
  const views = new ViewPusher({
    urls: config.viewPush.urls,
    secret: config.viewPush.secret,
    count: (outcome, n) => pushes.add(n, { outcome }),
    warn: (msg, fields) => logger.warn(fields, msg),
  });
  limitWorkflowStackTraces(config.worker.workflowStackTraceLimit);
  const worker = await createWorker(config, {}, {
    metrics: activityMetrics(runtime.metricMeter),
    stripe: stripeMetrics(runtime.metricMeter),
    log: (msg) => logger.warn(msg),
    views,
  });
  logger.info(
    {
      taskQueue: config.temporal.taskQueue,
      temporal: config.temporal.address,
      metrics: `http://${config.worker.metricsHost}:${config.worker.metricsPort}/metrics`,
      viewPush: config.viewPush.urls,
    },
    'worker started',
  );
  await worker.run(); // resolves after a shutdown signal, once in-flight tasks are done
  await views.drain();
  await worker.connection?.close(); // the open connection would keep the process alive
  logger.info('worker stopped');
}

main().catch((err: unknown) => {
  if (err instanceof ConfigError) {
    // e.g. a TLS setting for Temporal: one line naming the variable, as for any other setting.
    process.stderr.write(`configuration error: ${err.message}\n`);
    process.exit(78);
  }
  console.error(err);
  process.exit(1);
});
