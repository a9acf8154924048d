import { ConfigError } from '@payments/config';

/** For main.ts: the value, or the one line naming the bad variable and exit 78 (EX_CONFIG), as loadApiConfigOrExit and the other loaders do. */
export function orExitOnConfigError<T>(load: () => T): T {
  try {
    return load();
  } catch (err) {
    if (err instanceof ConfigError) {
      process.stderr.write(`configuration error: ${err.message}\n`);
      process.exit(78);
    }
    throw err;
  }
}
