import type { IncomingMessage } from 'node:http';
import { SpiError } from './spi-error';

const JSON_TYPE = /^application\/(?:[a-z0-9.+-]+\+)?json\s*(?:;|$)/i;
/** Deeper than any body Sitoo sends (cartitems.N.discounts.N is 4); deeper ones would overflow recursive code later. */
export const MAX_JSON_DEPTH = 32;

/**
 * Reads a JSON request body: JSON content type only, at most `limitBytes` (413 beyond,
 * checked on Content-Length first and again while streaming), well-formed and not nested
 * deeper than MAX_JSON_DEPTH.
 */
export async function readJson(req: IncomingMessage, limitBytes: number): Promise<unknown> {
  return parseJsonBody((await readJsonBytes(req, limitBytes)).toString('utf8'));
}

/** The raw bytes of a JSON body (content type and size checked as readJson does), for callers that verify a signature over them. */
export async function readJsonBytes(req: IncomingMessage, limitBytes: number): Promise<Buffer> {
  if (!JSON_TYPE.test(req.headers['content-type'] ?? '')) {
    throw new SpiError('bad-request', 'the body must be JSON (Content-Type: application/json)');
  }
  if (Number(req.headers['content-length']) > limitBytes) throw tooLarge(limitBytes);
  return readLimited(req, limitBytes);
}

/** Parses a body's text: 400 bad-request when empty, malformed or nested too deep. */
export function parseJsonBody(text: string): unknown {
  if (text.trim() === '') throw new SpiError('bad-request', 'the body is empty');
  if (nestingDepth(text) > MAX_JSON_DEPTH) throw new SpiError('bad-request', `the body is nested deeper than ${MAX_JSON_DEPTH} levels`);
  try {
    return JSON.parse(text) as unknown;
  } catch {
    throw new SpiError('bad-request', 'the body is not valid JSON');
  }
}

/** How deep arrays and objects nest in JSON text (brackets inside strings do not count); one pass, no recursion. */
export function nestingDepth(text: string): number {
  let depth = 0;
  let max = 0;
  let inString = false;
  for (let i = 0; i < text.length; i++) {
    const c = text.charCodeAt(i);
    if (inString) {
      if (c === 0x5c /* \\ */) i++;
      else if (c === 0x22 /* " */) inString = false;
    } else if (c === 0x22) {
      inString = true;
    } else if (c === 0x5b /* [ */ || c === 0x7b /* { */) {
      depth++;
      if (depth > max) max = depth;
    } else if (c === 0x5d /* ] */ || c === 0x7d /* } */) {
      depth--;
    }
  }
  return max;
}

/**
 * Collects the stream up to the limit. Past it, the rest is read and dropped rather than the
 * stream destroyed: destroying a request closes its socket, and the 413 would never arrive.
 */
function readLimited(req: IncomingMessage, limitBytes: number): Promise<Buffer> {
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    let size = 0;
    let over = false;
    req.on('data', (chunk: Buffer) => {
      if (over) return;
      size += chunk.length;
      if (size > limitBytes) {
        over = true;
        chunks.length = 0;
        reject(tooLarge(limitBytes));
      } else {
        chunks.push(chunk);
      }
    });
    req.on('end', () => resolve(Buffer.concat(chunks)));
    req.on('error', () => reject(new SpiError('bad-request', 'the body could not be read')));
  });
}

function tooLarge(limitBytes: number): SpiError {
  return new SpiError('payload-too-large', `the body is larger than ${limitBytes} bytes`);
}
