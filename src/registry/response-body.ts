import type { Readable } from 'node:stream';

/** Reads a small body (manifest, token, error) up to `limit` bytes; more is an error. */
export async function readSmallBody(body: Readable, limit: number): Promise<Buffer> {
  const chunks: Buffer[] = [];
  let total = 0;
  for await (const chunk of body) {
    const buf = chunk as Buffer;
    total += buf.length;
    if (total > limit) {
      body.destroy();
      throw new Error(`response larger than ${limit} bytes`);
    }
    chunks.push(buf);
  }
  return Buffer.concat(chunks);
}

/** Drains and discards a body so the connection can be reused. */
export function discardBody(body: Readable): void {
  body.resume();
  body.on('error', () => undefined);
}

/**
 * The registry's own words from an error body: `{"errors":[{"code":"DENIED","message":"..."}]}`
 * becomes "DENIED: ..."; anything else is cut short. Never includes request headers.
 */
export async function describeErrorBody(body: Readable): Promise<string> {
  let text: string;
  try {
    text = (await readSmallBody(body, 64 * 1024)).toString('utf8').trim();
  } catch {
    return '';
  }
  try {
    const parsed = JSON.parse(text) as {
      errors?: { code?: string; message?: string }[];
      error?: string;
      details?: string;
    };
    const first = parsed.errors?.[0];
    if (first !== undefined)
      return [first.code, first.message].filter((s) => s !== undefined && s !== '').join(': ');
    if (typeof parsed.error === 'string')
      return parsed.details ? `${parsed.error}: ${parsed.details}` : parsed.error;
  } catch {
    // not JSON
  }
  const firstLine = text.split('\n')[0] ?? '';
  return firstLine.length > 200 ? `${firstLine.slice(0, 200)}...` : firstLine;
}
