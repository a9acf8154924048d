/** An answer other than 2xx, rendered as `{ error: code, message, ...extra }`. */
export class SimError extends Error {
  constructor(
    readonly status: number,
    readonly code: string,
    message: string,
    readonly extra: Record<string, unknown> = {},
  ) {
    super(message);
    this.name = 'SimError';
  }
}
