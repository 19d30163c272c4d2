/**
 * `to` (a larger typed array, filled as new slots should read) with `from` copied to its start:
 * how the columns of a table or an index grow.
 */
export function grown<T extends Uint8Array | Uint32Array | Int32Array | Float64Array>(
  from: ArrayLike<number>,
  to: T,
): T {
  to.set(from);
  return to;
}
