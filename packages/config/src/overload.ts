import { ConfigError } from './env';
import { definePart } from './part';
import { described, wholeNumber } from './variable';

export const ADMISSION_LIMIT = described({
  name: 'ADMISSION_LIMIT',
  rule: 'auto | off | whole number ≥ 1',
  default: 'auto',
  meaning: 'Temporal work in flight (calls, and starts the worker has not yet answered with a view) at which new payments get a fast 503: auto adapts between the bounds, a number pins it, off refuses nothing',
});
export const ADMISSION_MIN_LIMIT = wholeNumber({ name: 'ADMISSION_MIN_LIMIT', default: 4, min: 1, max: 10_000, meaning: 'the lower bound of the adaptive admission limit' });
export const ADMISSION_MAX_LIMIT = wholeNumber({ name: 'ADMISSION_MAX_LIMIT', default: 200, min: 1, max: 10_000, meaning: 'the upper bound of the adaptive admission limit (at least ADMISSION_MIN_LIMIT)' });
export const ADMISSION_TARGET_MS = wholeNumber({
  name: 'ADMISSION_TARGET_MS',
  // Under half the 800 ms deadline: a cut holds back new starts only, while the payments admitted
  // before it still send their PUTs, so it must come well before an update's cut-off at the deadline.
  default: 350,
  min: 1,
  max: 9000,
  unit: 'ms',
  meaning: 'a Temporal call slower than this (or timed out, or a start whose first worker view never came) lowers the admission limit',
});
export const ADMISSION_RETRY_AFTER_S = wholeNumber({ name: 'ADMISSION_RETRY_AFTER_S', default: 1, min: 1, max: 60, unit: 's', meaning: 'Retry-After on every 503' });
export const START_CONFIRM_MS = wholeNumber({
  name: 'START_CONFIRM_MS',
  default: 30_000,
  min: 1000,
  max: 600_000,
  unit: 'ms',
  meaning: 'how long after its POST a payment waits for the API’s word that the register got its id; then it ends cancelled, untouched',
});
export const VIEW_CHECKS_IN_FLIGHT = wholeNumber({ name: 'VIEW_CHECKS_IN_FLIGHT', default: 8, max: 1000, meaning: 'background queries that check held views, at most this many at once (0: none)' });

/**
 * How the API stays quick when Temporal behind it is saturated (apps/api/src/admission): new
 * payments are refused with a fast 503 once the Temporal work in flight (calls, and starts the
 * worker has not yet answered) reaches a limit, which adapts to the latency Temporal and the
 * workers answer with (or is pinned); the API's own background work has
 * a budget; and every start waits, in the workflow, for the API's word that the register got the
 * paymentid (packages/workflow/src/start-gate.ts).
 */
export const overload = definePart(
  'admission',
  [ADMISSION_LIMIT, ADMISSION_MIN_LIMIT, ADMISSION_MAX_LIMIT, ADMISSION_TARGET_MS, ADMISSION_RETRY_AFTER_S, START_CONFIRM_MS, VIEW_CHECKS_IN_FLIGHT],
  (env) => {
    const rawLimit = ADMISSION_LIMIT.read(env).trim();
    let mode: 'auto' | 'pinned' | 'off' = 'auto';
    let pinned = 0;
    if (rawLimit === 'off') mode = 'off';
    else if (rawLimit !== 'auto') {
      if (!/^[0-9]+$/.test(rawLimit) || Number(rawLimit) < 1) throw new ConfigError('ADMISSION_LIMIT', `must be auto, off or a whole number ≥ 1, got ${JSON.stringify(rawLimit)}`);
      mode = 'pinned';
      pinned = Number(rawLimit);
    }
    const minLimit = ADMISSION_MIN_LIMIT.read(env);
    const maxLimit = ADMISSION_MAX_LIMIT.read(env);
    if (maxLimit < minLimit) throw new ConfigError('ADMISSION_MAX_LIMIT', `must be at least ADMISSION_MIN_LIMIT (${minLimit}), got ${maxLimit}`);
    return {
      admission: {
        /** auto: the limit adapts between minLimit and maxLimit; pinned: fixed at `pinned`; off: nothing is refused. */
        mode,
        pinned,
        minLimit,
        maxLimit,
        /** A call slower than this (or timed out, or a start whose first worker view never came) lowers the limit; faster ones raise it while it is used. */
        targetMs: ADMISSION_TARGET_MS.read(env),
        /** Seconds a refused register is told to wait (Retry-After on every 503). */
        retryAfterS: ADMISSION_RETRY_AFTER_S.read(env),
      },
      /** How long after its POST a payment waits for the API's word that the register got its id; then it ends cancelled, untouched. */
      startConfirmMs: START_CONFIRM_MS.read(env),
      /** Background queries that check held views, at most this many at once (0: none). */
      viewChecksInFlight: VIEW_CHECKS_IN_FLIGHT.read(env),
    };
  },
);

export type OverloadConfig = ReturnType<typeof overload.load>;
