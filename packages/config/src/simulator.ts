import * as path from 'node:path';
import { ConfigError } from './env';
import { definePart } from './part';
import { text, urlText, wholeNumber } from './variable';

export const DATA_DIR = text({ name: 'DATA_DIR', default: '.data', meaning: 'the dev server’s SQLite file, the cluster’s PostgreSQL and the simulator’s ledger (a relative path: from the repository for the scripts, from the working directory for the simulator)' });
export const SIM_HOST = text({ name: 'SIM_HOST', default: '127.0.0.1', meaning: 'the address the simulator listens on' });
export const SIM_PORT = wholeNumber({ name: 'SIM_PORT', default: 3100, max: 65535, meaning: 'the port the simulator (acquirer, terminals, wallet page) listens on' });
export const SIM_APPROVE_DELAY_MS = wholeNumber({ name: 'SIM_APPROVE_DELAY_MS', default: 2000, unit: 'ms', meaning: 'how long the simulated customer takes to approve' });
export const SIM_PUBLIC_URL = urlText({
  name: 'SIM_PUBLIC_URL',
  default: 'http://127.0.0.1:3100',
  defaultText: 'http://127.0.0.1:<SIM_PORT>',
  meaning: 'the address put in QR codes; a phone on the same network needs the machine’s address',
});

export const SIM_STRIPE_WEBHOOK_URL = text({
  name: 'SIM_STRIPE_WEBHOOK_URL',
  default: '',
  rule: 'URL, or empty',
  meaning: 'where the Stripe-wire simulator sends its signed webhooks (the API’s /webhooks/stripe); empty: it sends none',
});
export const SIM_STRIPE_WEBHOOK_SECRET = text({
  name: 'SIM_STRIPE_WEBHOOK_SECRET',
  default: '',
  rule: 'whsec_…',
  secret: true,
  meaning: 'the signing secret of SIM_STRIPE_WEBHOOK_URL (the API’s STRIPE_WEBHOOK_SECRETS entry for the simulated accounts)',
});

export const SIM_VIPPS_WEBHOOK_URL = text({
  name: 'SIM_VIPPS_WEBHOOK_URL',
  default: '',
  rule: 'URL, or empty',
  meaning: 'where the Vipps-wire simulator sends every ePayment webhook, signed (the API’s /webhooks/vipps-mobilepay); empty: only to webhooks registered through its /webhooks/v1/webhooks',
});
export const SIM_VIPPS_WEBHOOK_SECRET = text({
  name: 'SIM_VIPPS_WEBHOOK_SECRET',
  default: '',
  rule: 'at least 16 characters',
  secret: true,
  meaning: 'the secret SIM_VIPPS_WEBHOOK_URL’s webhooks are signed with (the API’s VIPPS_WEBHOOK_SECRETS entry for the simulated merchant)',
});

export const SIM_ACQUIRER_CALLBACK_URL = text({
  name: 'SIM_ACQUIRER_CALLBACK_URL',
  default: '',
  rule: 'URL, or empty',
  meaning: 'where the simulated acquirer and terminals send their signed events (the API’s /callbacks/acquirer); empty: they send none, and payments long-poll',
});
export const SIM_ACQUIRER_CALLBACK_SECRET = text({
  name: 'SIM_ACQUIRER_CALLBACK_SECRET',
  default: '',
  rule: 'text, 32 characters or more',
  secret: true,
  meaning: 'the secret SIM_ACQUIRER_CALLBACK_URL’s events are signed with (the API’s ACQUIRER_CALLBACK_SECRET)',
});

/** Where state is kept on disk. */
export const storage = definePart('storage', [DATA_DIR], (env) => ({ dataDir: path.resolve(DATA_DIR.read(env)) }));

/** The simulated acquirer, terminals and wallet page. */
export const simulator = definePart('simulator', [SIM_HOST, SIM_PORT, SIM_APPROVE_DELAY_MS, SIM_PUBLIC_URL, SIM_STRIPE_WEBHOOK_URL, SIM_STRIPE_WEBHOOK_SECRET, SIM_VIPPS_WEBHOOK_URL, SIM_VIPPS_WEBHOOK_SECRET, SIM_ACQUIRER_CALLBACK_URL, SIM_ACQUIRER_CALLBACK_SECRET], (env) => {
  const port = SIM_PORT.read(env);
  const webhookUrl = SIM_STRIPE_WEBHOOK_URL.read(env);
  const webhookSecret = SIM_STRIPE_WEBHOOK_SECRET.read(env);
  if (webhookUrl !== '') {
    try {
      new URL(webhookUrl);
    } catch {
      throw new ConfigError('SIM_STRIPE_WEBHOOK_URL', `must be a URL, got ${JSON.stringify(webhookUrl)}`);
    }
    if (!/^whsec_[A-Za-z0-9_]+$/.test(webhookSecret)) throw new ConfigError('SIM_STRIPE_WEBHOOK_SECRET', 'must be a signing secret (whsec_…) when SIM_STRIPE_WEBHOOK_URL is set');
  }
  const vippsUrl = SIM_VIPPS_WEBHOOK_URL.read(env);
  const vippsSecret = SIM_VIPPS_WEBHOOK_SECRET.read(env);
  if (vippsUrl !== '') {
    try {
      new URL(vippsUrl);
    } catch {
      throw new ConfigError('SIM_VIPPS_WEBHOOK_URL', `must be a URL, got ${JSON.stringify(vippsUrl)}`);
    }
    if (vippsSecret.trim().length < 16) throw new ConfigError('SIM_VIPPS_WEBHOOK_SECRET', 'must be at least 16 characters when SIM_VIPPS_WEBHOOK_URL is set');
  }
  const callbackUrl = SIM_ACQUIRER_CALLBACK_URL.read(env);
  const callbackSecret = SIM_ACQUIRER_CALLBACK_SECRET.read(env);
  if (callbackUrl !== '') {
    try {
      new URL(callbackUrl);
    } catch {
      throw new ConfigError('SIM_ACQUIRER_CALLBACK_URL', `must be a URL, got ${JSON.stringify(callbackUrl)}`);
    }
    if (callbackSecret.length < 32) throw new ConfigError('SIM_ACQUIRER_CALLBACK_SECRET', 'must be at least 32 characters when SIM_ACQUIRER_CALLBACK_URL is set');
  }
  return {
    host: SIM_HOST.read(env),
    port,
    approveDelayMs: SIM_APPROVE_DELAY_MS.read(env),
    /** The address put in QR codes; a phone on the same network needs the machine's address. */
    publicUrl: SIM_PUBLIC_URL.read(env, `http://127.0.0.1:${port}`),
    /** Where the Stripe-wire simulator sends its webhooks, signed with the secret; null: none. */
    stripeWebhook: webhookUrl === '' ? null : { url: webhookUrl, secret: webhookSecret },
    /** Where the Vipps-wire simulator sends every webhook, signed with the secret; null: only to registered ones. */
    vippsWebhook: vippsUrl === '' ? null : { url: vippsUrl, secret: vippsSecret },
    /** Where the acquirer and terminals send their events, signed with the secret; null: none. */
    acquirerCallback: callbackUrl === '' ? null : { url: callbackUrl, secret: callbackSecret },
  };
});
