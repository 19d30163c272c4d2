/**
 * What `DEBUG=imgscope:layers` says a run did with each layer: read (downloaded or opened, and
 * parsed) or taken from the layer-result cache. The labels (`layer 2`) in the order printed.
 */
export interface LayerLog {
  read: string[];
  cached: string[];
}

export const LAYER_DEBUG = { DEBUG: 'imgscope:layers' };

export function layerLog(stderr: string): LayerLog {
  const log: LayerLog = { read: [], cached: [] };
  for (const line of stderr.split('\n')) {
    const match = / imgscope:layers (layer \d+) \S+ (read|cached)$/.exec(line);
    if (match !== null) log[match[2] as 'read' | 'cached'].push(match[1] as string);
  }
  log.read.sort();
  log.cached.sort();
  return log;
}

/** stderr without the debug lines: what a user without DEBUG sees. */
export function withoutLayerLog(stderr: string): string {
  return stderr
    .split('\n')
    .filter((line) => !/ imgscope:layers /.test(line))
    .join('\n');
}
