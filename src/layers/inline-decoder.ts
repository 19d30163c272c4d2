/**
 * A decompressor driven on the calling thread (inline-zlib.ts, wasm-zstd.ts): the layer reader
 * hands it each stored chunk and takes the output where it is made, into the diff_id check and
 * the parser, so one thread does a layer's whole read with no stream stages between
 * (docs/architecture.md, "Both cores").
 */
export interface InlineDecoder {
  /**
   * Decodes `input`, giving each piece of output to `take`: a view of the decoder's own buffer,
   * valid only during the call.
   */
  write(input: Uint8Array, take: (output: Buffer) => void): void;
  /** Ends the input: the rest of the output to `take`; throws where the data stops early. */
  end(take: (output: Buffer) => void): void;
  /** Frees the decoder's memory, whether the input ended or not; it takes nothing after. */
  close(): void;
}
