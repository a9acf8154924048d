import { ConfigError } from '../env';
import type { Env } from '../variable';

/**
 * A loader as the config tests call it: the one line it stops the process with for this
 * environment, or null when the environment loads. Any other error is a bug and is rethrown.
 */
export const problemOf =
  (load: (env: Env) => unknown) =>
  (env: Record<string, string>): string | null => {
    try {
      load(env);
    } catch (err) {
      if (err instanceof ConfigError) return err.message;
      throw err;
    }
    return null;
  };
