/**
 * Tar names are bytes, not text. Valid UTF-8 (nearly every real name) decodes as such; each byte
 * that is not part of a valid sequence maps onto its own lone surrogate U+DC80..U+DCFF (Python's
 * "surrogateescape"). So two names that differ in their bytes stay two paths, and an escaped
 * name never collides with a valid one (valid UTF-8 never decodes to a lone surrogate).
 */
const utf8 = new TextDecoder('utf-8', { fatal: true });

/** Buffer's own latin1 decoder: the native call under `toString('latin1')`, on every Node since 6. */
interface Latin1Slicing {
  latin1Slice(start: number, end: number): string;
}
/**
 * Whether the running Node has it (it is not documented): `toString` first looks its encoding up
 * in Node's JavaScript, about 1 µs a name while that code is cold, for every name of a layer.
 */
const hasLatin1Slice = typeof (Buffer.prototype as Partial<Latin1Slicing>).latin1Slice === 'function';

/** Decodes `bytes[start, end)`. */
export function decodeTarText(bytes: Buffer, start: number, end: number): string {
  let ascii = true;
  for (let i = start; i < end; i++) {
    if ((bytes[i] ?? 0) >= 0x80) {
      ascii = false;
      break;
    }
  }
  if (ascii)
    return hasLatin1Slice
      ? (bytes as Buffer & Latin1Slicing).latin1Slice(start, end)
      : bytes.toString('latin1', start, end);
  const text = bytes.subarray(start, end);
  try {
    return utf8.decode(text);
  } catch {
    return escapeInvalid(text);
  }
}

function escapeInvalid(bytes: Uint8Array): string {
  let out = '';
  let i = 0;
  while (i < bytes.length) {
    const length = sequenceLength(bytes, i);
    if (length === 0) {
      out += String.fromCharCode(0xdc00 + (bytes[i] ?? 0));
      i += 1;
    } else {
      out += utf8.decode(bytes.subarray(i, i + length));
      i += length;
    }
  }
  return out;
}

/** Length of the valid UTF-8 sequence starting at `i`, or 0 (RFC 3629: no overlongs, no surrogates). */
function sequenceLength(bytes: Uint8Array, i: number): number {
  const lead = bytes[i] ?? 0;
  if (lead < 0x80) return 1;
  const length =
    lead >= 0xc2 && lead <= 0xdf
      ? 2
      : lead >= 0xe0 && lead <= 0xef
        ? 3
        : lead >= 0xf0 && lead <= 0xf4
          ? 4
          : 0;
  if (length === 0 || i + length > bytes.length) return 0;
  for (let k = 1; k < length; k++) if (((bytes[i + k] ?? 0) & 0xc0) !== 0x80) return 0;
  const second = bytes[i + 1] ?? 0;
  if (lead === 0xe0 && second < 0xa0) return 0;
  if (lead === 0xed && second >= 0xa0) return 0;
  if (lead === 0xf0 && second < 0x90) return 0;
  if (lead === 0xf4 && second >= 0x90) return 0;
  return length;
}
