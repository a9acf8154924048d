import * as path from 'node:path';
import { loadSimulatorConfigOrExit } from '@payments/config';
import { createSimulator } from '@payments/simulator-core';
import { simulatorLog } from './simulator-log';

async function main(): Promise<void> {
  const config = loadSimulatorConfigOrExit();
  const log = simulatorLog(config.logLevel, config.logFormat);
  const ledgerPath = path.join(config.dataDir, 'simulator-ledger.json');
  const sim = await createSimulator({
    ledgerPath,
    approveDelayMs: config.simulator.approveDelayMs,
    publicUrl: config.simulator.publicUrl,
    stripeWebhook: config.simulator.stripeWebhook,
    vippsWebhook: config.simulator.vippsWebhook,
    acquirerCallback: config.simulator.acquirerCallback,
    log,
  });
  const { url } = await sim.listen(config.simulator.port, config.simulator.host);
  log({ msg: 'simulator listening', url, publicUrl: config.simulator.publicUrl, ledger: ledgerPath, acquirerCallbacks: config.simulator.acquirerCallback?.url ?? null });

  let stopping = false;
  const stop = (signal: string) => {
    if (stopping) return;
    stopping = true;
    log({ msg: 'simulator stopping', signal });
    // Open long-polls are answered at once; a stuck connection must not keep the ledger unwritten.
    const force = setTimeout(() => process.exit(1), 10_000);
    force.unref();
    sim.close().then(
      () => process.exit(0),
      (err: unknown) => {
        process.stderr.write(`simulator: closing failed: ${String(err)}\n`);
        process.exit(1);
      },
    );
  };
  process.once('SIGTERM', () => stop('SIGTERM'));
  process.once('SIGINT', () => stop('SIGINT'));
}

main().catch((err: unknown) => {
  process.stderr.write(`simulator: ${err instanceof Error ? err.message : String(err)}\n`);
  process.exit(1);
});
