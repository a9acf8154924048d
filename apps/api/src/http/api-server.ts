import { randomUUID } from 'node:crypto';
import * as fs from 'node:fs';
import { createServer as createHttpServer, type RequestListener, type Server } from 'node:http';
import { createServer as createHttpsServer } from 'node:https';
import type { Duplex } from 'node:stream';
import type { TlsFiles } from '@payments/config';
import { errorResponse, SpiError } from './spi-error';

/** Sitoo POS gives up after 10 s; a request that takes longer to arrive is not a register's. */
const REQUEST_TIMEOUT_MS = 10_000;

/**
 * A request Node's HTTP parser refuses (malformed, headers too large) never reaches Koa. It
 * still gets the contract's error body, then the connection closes.
 */
function answerClientError(err: NodeJS.ErrnoException, socket: Duplex): void {
  if (err.code === 'ECONNRESET' || !socket.writable) {
    socket.destroy();
    return;
  }
  const requestId = randomUUID();
  const { status, body } = errorResponse(new SpiError('bad-request', 'the request could not be parsed as HTTP'), requestId);
  const json = JSON.stringify(body);
  socket.end(
    `HTTP/1.1 ${status} Bad Request\r\nContent-Type: application/json; charset=utf-8\r\nContent-Length: ${Buffer.byteLength(json)}\r\n` +
      `X-Request-Id: ${requestId}\r\nConnection: close\r\n\r\n${json}`,
  );
}

/**
 * The API's server: HTTPS with the configured cert and key, plain HTTP without them (behind a
 * proxy that terminates TLS). Not listening yet.
 */
export function createApiServer(handler: RequestListener, tls: TlsFiles | null): Server {
  const server: Server = tls
    ? createHttpsServer({ cert: fs.readFileSync(tls.certFile), key: fs.readFileSync(tls.keyFile), minVersion: 'TLSv1.2' }, handler)
    : createHttpServer(handler);
  server.requestTimeout = REQUEST_TIMEOUT_MS;
  server.headersTimeout = REQUEST_TIMEOUT_MS;
  server.on('clientError', answerClientError);
  return server;
}
