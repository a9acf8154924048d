import * as path from 'node:path';
import { ConfigError } from './env';
import { definePart } from './part';
import { oneOfWords, text, wholeNumber } from './variable';

/** When and for whom the daily reconciliation runs, and where its reports go. */
export interface ReconciliationConfig {
  /** Merchants a reconciliation may cover (with every merchant in CARD_PROVIDERS). */
  merchants: string[];
  /** One daily schedule for every merchant, one per merchant, or none. */
  schedule: 'all' | 'per-merchant' | 'off';
  /** The local hour the daily run starts; it reconciles the local day before. */
  hour: number;
  timeZone: string;
  /** Where each report's JSON and CSV files are written (absolute). */
  reportDir: string;
}

export const RECONCILIATION_MERCHANTS = text({
  name: 'RECONCILIATION_MERCHANTS',
  default: 'demo',
  rule: 'comma-separated merchant names',
  meaning: 'the merchants reconciled on the simulated acquirer (ACQUIRER_URL); every merchant in CARD_PROVIDERS is reconciled too',
});
export const RECONCILIATION_SCHEDULE = oneOfWords({
  name: 'RECONCILIATION_SCHEDULE',
  default: 'all',
  words: ['all', 'per-merchant', 'off'] as const,
  meaning: 'the worker keeps one daily Temporal Schedule for every merchant (`all`), one per merchant, or none (`off`: only `npm run reconcile`)',
});
export const RECONCILIATION_HOUR = wholeNumber({ name: 'RECONCILIATION_HOUR', default: 3, max: 23, meaning: 'the hour of the day (in RECONCILIATION_TIME_ZONE) the daily run reconciles the day before' });
export const RECONCILIATION_TIME_ZONE = text({
  name: 'RECONCILIATION_TIME_ZONE',
  default: 'UTC',
  rule: 'IANA time zone, e.g. Europe/Stockholm',
  meaning: 'the time zone of the reconciled days and of RECONCILIATION_HOUR',
});
export const RECONCILIATION_REPORT_DIR = text({
  name: 'RECONCILIATION_REPORT_DIR',
  default: '.data/reconciliation',
  meaning: 'where the worker writes each reconciliation’s JSON and CSV files (relative: from the worker’s working directory)',
});

const NAME = /^[A-Za-z0-9_.-]+$/;

/** The reconciliation's merchants, schedule and report folder. */
export const reconciliation = definePart(
  'reconciliation',
  [RECONCILIATION_MERCHANTS, RECONCILIATION_SCHEDULE, RECONCILIATION_HOUR, RECONCILIATION_TIME_ZONE, RECONCILIATION_REPORT_DIR],
  (env): ReconciliationConfig => {
    const merchants = RECONCILIATION_MERCHANTS.read(env)
      .split(',')
      .map((m) => m.trim())
      .filter((m) => m !== '');
    const bad = merchants.find((m) => !NAME.test(m));
    if (bad !== undefined) throw new ConfigError('RECONCILIATION_MERCHANTS', `${JSON.stringify(bad)} is not a merchant name (letters, digits, _ . -)`);
    const timeZone = RECONCILIATION_TIME_ZONE.read(env);
    try {
      new Intl.DateTimeFormat('en-US', { timeZone });
    } catch {
      throw new ConfigError('RECONCILIATION_TIME_ZONE', `${JSON.stringify(timeZone)} is not an IANA time zone (e.g. Europe/Stockholm)`);
    }
    return {
      merchants: [...new Set(merchants)],
      schedule: RECONCILIATION_SCHEDULE.read(env),
      hour: RECONCILIATION_HOUR.read(env),
      timeZone,
      reportDir: path.resolve(RECONCILIATION_REPORT_DIR.read(env)),
    };
  },
);
