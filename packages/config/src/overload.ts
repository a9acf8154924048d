import { ConfigError, int, str } from './env';

type Env = Record<string, string | undefined>;

/**
 * How the API stays quick when Temporal behind it is saturated (apps/api/src/admission): new
 * payments are refused with a fast 503 once the Temporal calls in flight reach a limit, which
 * adapts to the latency Temporal answers with (or is pinned); the API's own background work has
 * a budget; and every start waits, in the workflow, for the API's word that the register got the
 * paymentid (packages/workflow/src/start-gate.ts).
 */
export function overloadConfig(env: Env) {
  const rawLimit = str(env, 'ADMISSION_LIMIT', 'auto').trim();
  let mode: 'auto' | 'pinned' | 'off' = 'auto';
  let pinned = 0;
  if (rawLimit === 'off') mode = 'off';
  else if (rawLimit !== 'auto') {
    if (!/^[0-9]+$/.test(rawLimit) || Number(rawLimit) < 1) throw new ConfigError('ADMISSION_LIMIT', `must be auto, off or a whole number ≥ 1, got ${JSON.stringify(rawLimit)}`);
    mode = 'pinned';
    pinned = Number(rawLimit);
  }
  const minLimit = int(env, 'ADMISSION_MIN_LIMIT', 4, { min: 1, max: 10_000 });
  const maxLimit = int(env, 'ADMISSION_MAX_LIMIT', 200, { min: 1, max: 10_000 });
  if (maxLimit < minLimit) throw new ConfigError('ADMISSION_MAX_LIMIT', `must be at least ADMISSION_MIN_LIMIT (${minLimit}), got ${maxLimit}`);
  return {
    admission: {
      /** auto: the limit adapts between minLimit and maxLimit; pinned: fixed at `pinned`; off: nothing is refused. */
      mode,
      pinned,
      minLimit,
      maxLimit,
      /** A start or update slower than this (or timed out) lowers the limit; faster ones raise it while it is used. */
      targetMs: int(env, 'ADMISSION_TARGET_MS', 500, { min: 1, max: 9000 }),
      /** Seconds a refused register is told to wait (Retry-After on every 503). */
      retryAfterS: int(env, 'ADMISSION_RETRY_AFTER_S', 1, { min: 1, max: 60 }),
    },
    /** How long after its POST a payment waits for the API's word that the register got its id; then it ends cancelled, untouched. */
    startConfirmMs: int(env, 'START_CONFIRM_MS', 30_000, { min: 1000, max: 600_000 }),
    /** Background queries that check held views, at most this many at once (0: none). */
    viewChecksInFlight: int(env, 'VIEW_CHECKS_IN_FLIGHT', 8, { max: 1000 }),
  };
}

export type OverloadConfig = ReturnType<typeof overloadConfig>;
