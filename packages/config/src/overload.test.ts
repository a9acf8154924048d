import { loadApiConfig } from './index';

const overloadConfig = (env: Record<string, string>) => loadApiConfig(env).overload;

describe('overload configuration', () => {
  it('defaults: an adaptive limit, a 350 ms target, Retry-After 1 s, a 30 s start window', () => {
    const o = overloadConfig({});
    expect(o.admission).toEqual({ mode: 'auto', pinned: 0, minLimit: 4, maxLimit: 200, targetMs: 350, retryAfterS: 1 });
    expect(o.startConfirmMs).toBe(30_000);
    expect(o.viewChecksInFlight).toBe(8);
  });

  it('ADMISSION_LIMIT pins the limit, or turns admission control off', () => {
    expect(overloadConfig({ ADMISSION_LIMIT: '12' }).admission).toMatchObject({ mode: 'pinned', pinned: 12 });
    expect(overloadConfig({ ADMISSION_LIMIT: 'off' }).admission.mode).toBe('off');
  });

  it.each([
    [{ ADMISSION_LIMIT: '0' }, 'ADMISSION_LIMIT: must be auto, off or a whole number ≥ 1, got "0"'],
    [{ ADMISSION_LIMIT: 'lots' }, 'ADMISSION_LIMIT: must be auto, off or a whole number ≥ 1, got "lots"'],
    [{ ADMISSION_MIN_LIMIT: '10', ADMISSION_MAX_LIMIT: '5' }, 'ADMISSION_MAX_LIMIT: must be at least ADMISSION_MIN_LIMIT (10), got 5'],
    [{ START_CONFIRM_MS: '10' }, 'START_CONFIRM_MS: must be between 1000 and 600000, got 10'],
  ])('%j → one line naming the variable', (env, message) => {
    expect(() => overloadConfig(env)).toThrow(message);
  });
});
