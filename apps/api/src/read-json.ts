import type { IncomingMessage } from 'node:http';
import { SpiError } from './spi-error';

const JSON_TYPE = /^application\/(?:[a-z0-9.+-]+\+)?json\s*(?:;|$)/i;

/**
 * Reads a JSON request body: JSON content type only, at most `limitBytes` (413 beyond,
 * checked on Content-Length first and again while streaming), and well-formed.
 */
export async function readJson(req: IncomingMessage, limitBytes: number): Promise<unknown> {
  if (!JSON_TYPE.test(req.headers['content-type'] ?? '')) {
    throw new SpiError('bad-request', 'the body must be JSON (Content-Type: application/json)');
  }
  if (Number(req.headers['content-length']) > limitBytes) throw tooLarge(limitBytes);
  const text = (await readLimited(req, limitBytes)).toString('utf8');
  if (text.trim() === '') throw new SpiError('bad-request', 'the body is empty');
  try {
    return JSON.parse(text) as unknown;
  } catch {
    throw new SpiError('bad-request', 'the body is not valid JSON');
  }
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
