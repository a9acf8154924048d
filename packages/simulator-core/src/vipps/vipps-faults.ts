import { AnswerHold, type HeldAnswers } from '../answer-hold';
import { VippsProblemError } from './vipps-problem';

/** Vipps's documented per-reference limits: 5 a minute for create, capture, cancel and refund; 120 for reads. */
export const MODIFY_PER_MINUTE = 5;
export const READ_PER_MINUTE = 120;
/** A QR payment the customer never answers expires after this unless the create set expiresAt. */
export const DEFAULT_EXPIRE_AFTER_MS = 5 * 60_000;
/** The test environment's token lifetime. */
export const DEFAULT_TOKEN_TTL_MS = 3_600_000;

/** Limits in force (POST /sim/vipps/faults may lower them). */
export interface VippsRateLimitSetting {
  modifyPerMinute: number;
  readPerMinute: number;
}

/** What one endpoint was asked, and how often it answered 429. */
export interface VippsEndpointUsage {
  calls: number;
  rateLimited: number;
}

/** Answers with `status` for the next `count` calls whose path ends with `path`, doing nothing. */
export interface VippsFailRule {
  path: string;
  status: number;
  count: number;
}

/** A request's endpoint, the reference replaced: `GET /epayment/v1/payments/:reference`. */
export function vippsEndpointOf(method: string, path: string): string {
  const shape = path
    .replace(/^(\/epayment\/v1\/(?:test\/)?payments\/)[^/]+/, '$1:reference')
    .replace(/^(\/webhooks\/v1\/webhooks\/)[^/]+/, '$1:id');
  return `${method.toUpperCase()} ${shape}`;
}

/**
 * Vipps's misbehaviour that the money rules must survive, set through POST /sim/vipps/faults:
 * lowered rate limits, calls that fail or whose answers are held, credentials refused, tokens
 * revoked, and whether the simulated customer answers at all. Memory only.
 */
export class VippsFaults {
  rateLimit: VippsRateLimitSetting = { modifyPerMinute: MODIFY_PER_MINUTE, readPerMinute: READ_PER_MINUTE };
  /** 'manual': only a person on the page (or a test control) answers new payments. */
  customer: 'auto' | 'manual' = 'auto';
  expireAfterMs = DEFAULT_EXPIRE_AFTER_MS;
  tokenTtlMs = DEFAULT_TOKEN_TTL_MS;
  /** POST /accesstoken/get answers 401 to any credentials. */
  rejectCredentials = false;
  fail: VippsFailRule | null = null;
  private readonly windows = new Map<string, number[]>();
  readonly usage: Record<string, VippsEndpointUsage> = {};
  tokensIssued = 0;
  private readonly answers: AnswerHold;

  constructor(private readonly clock: () => number) {
    this.answers = new AnswerHold(clock);
  }

  /** Counts a call and refuses it with 429 when its reference is over the limit (before it does anything). */
  admit(options: { method: string; path: string; limitKey: string | null; modify: boolean }): void {
    const endpoint = vippsEndpointOf(options.method, options.path);
    const used = (this.usage[endpoint] ??= { calls: 0, rateLimited: 0 });
    used.calls += 1;
    if (options.limitKey === null) return;
    const now = this.clock();
    const limit = options.modify ? this.rateLimit.modifyPerMinute : this.rateLimit.readPerMinute;
    const key = `${endpoint} ${options.limitKey}`;
    const recent = (this.windows.get(key) ?? []).filter((at) => at > now - 60_000);
    if (recent.length >= limit) {
      this.windows.set(key, recent);
      used.rateLimited += 1;
      throw new VippsProblemError(429, 'rate-limited', `Too many requests for this reference: at most ${limit} a minute to ${endpoint}.`);
    }
    recent.push(now);
    this.windows.set(key, recent);
  }

  /** The failure a call meets before it executes, if a fail rule matches it. */
  failure(path: string): VippsProblemError | null {
    const rule = this.fail;
    if (!rule || !path.endsWith(rule.path)) return null;
    rule.count -= 1;
    if (rule.count <= 0) this.fail = null;
    return new VippsProblemError(rule.status, rule.status === 429 ? 'rate-limited' : rule.status >= 500 ? 'unavailable' : 'validation', `A failure injected by POST /sim/vipps/faults (${rule.status}).`);
  }

  setRateLimit(setting: Partial<VippsRateLimitSetting> | null): void {
    this.rateLimit = { modifyPerMinute: setting?.modifyPerMinute ?? MODIFY_PER_MINUTE, readPerMinute: setting?.readPerMinute ?? READ_PER_MINUTE };
    this.windows.clear();
  }

  /** Holds the answers of calls whose path ends with `path` for ms from now (they execute at once); null releases them. */
  setHold(hold: { path: string; ms: number } | null): void {
    this.answers.set(hold);
  }

  get currentHold(): HeldAnswers | null {
    return this.answers.current;
  }

  /** Resolves when a call to this path may answer. */
  answerable(path: string): Promise<void> {
    return this.answers.answerable(path);
  }

  close(): void {
    this.setHold(null);
  }
}
