/**
 * `[epoch:]version[-release]`, as dpkg and rpm write versions: the epoch when it is a number
 * before the first colon (else "0"), the release after the last hyphen (else "").
 */
export function splitEpochVersion(text: string): { epoch: string; version: string; release: string } {
  const colon = text.indexOf(':');
  const epoch = colon > 0 && /^\d+$/.test(text.slice(0, colon)) ? text.slice(0, colon) : '0';
  const rest = colon > 0 ? text.slice(colon + 1) : text;
  const hyphen = rest.lastIndexOf('-');
  return hyphen < 0
    ? { epoch, version: rest, release: '' }
    : { epoch, version: rest.slice(0, hyphen), release: rest.slice(hyphen + 1) };
}
