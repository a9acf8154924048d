import { NativeConnection } from '@temporalio/worker';
import type { TemporalConnectionOptions } from '@payments/temporal-connection';

/**
 * Connects to Temporal, waiting for it when it is not up yet: a worker started before (or
 * while restarting) the server should come up with it, not exit.
 */
export async function connectWithRetry(options: TemporalConnectionOptions, log: (msg: string) => void = console.error): Promise<NativeConnection> {
  const { address } = options;
  for (let attempt = 1, delay = 500; ; attempt++, delay = Math.min(delay * 2, 5_000)) {
    try {
      return await NativeConnection.connect(options);
    } catch (err) {
      log(`Temporal at ${address} is not reachable (attempt ${attempt}: ${(err as Error).message}); retrying in ${delay} ms`);
      await new Promise((r) => setTimeout(r, delay));
    }
  }
}
