/** What the middlewares leave on `ctx.state` for the handlers and the request log. */
export interface AppState {
  requestId: string;
  /** Set by the Basic-auth middleware on SPI routes. */
  merchant?: string;
  /** Set by handlers, for the request log. */
  paymentid?: string;
  /** The customer's phone number, masked (log-scrub.ts), for the request log. */
  customer?: string;
}
