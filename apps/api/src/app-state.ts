/** What the middlewares leave on `ctx.state` for the handlers and the request log. */
export interface AppState {
  requestId: string;
  /** Set by the Basic-auth middleware on SPI routes. */
  merchant?: string;
  /**
   * Set by the Basic-auth middleware on a call that names no register (no Register-ID header,
   * no payment in the path): the POST names it by its body's posid once read, and this throws
   * 429 when that register is past its request rate.
   */
  limitRegister?: (posid: string) => void;
  /** Set by handlers, for the request log. */
  paymentid?: string;
  /** The customer's phone number, masked (log-scrub.ts), for the request log. */
  customer?: string;
}
