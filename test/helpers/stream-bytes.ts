/** Reading a whole stream in a test: a layer or blob opened from a source, or passed through a blob cache. */
import type { Readable } from 'node:stream';

/** All the bytes of `stream`. */
export async function readAll(stream: Readable): Promise<Buffer> {
  const chunks: Buffer[] = [];
  for await (const c of stream) chunks.push(c as Buffer);
  return Buffer.concat(chunks);
}
