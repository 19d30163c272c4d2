// Straight from the model file, not its index: the browser bundle (src/web) shares this module.
import type { Platform } from '../model/descriptor.js';

const UNITS = ['B', 'kB', 'MB', 'GB', 'TB'];

/** Decimal units, as dive and docker show sizes ("1.2 MB"). */
export function formatBytes(bytes: number): string {
  if (bytes < 1000) return `${bytes} B`;
  let value = bytes;
  let unit = 0;
  while (value >= 1000 && unit < UNITS.length - 1) {
    value /= 1000;
    unit++;
  }
  return `${value >= 100 ? value.toFixed(0) : value.toFixed(1)} ${UNITS[unit]}`;
}

export function formatPercent(fraction: number | null): string {
  return fraction === null ? 'n/a' : `${(fraction * 100).toFixed(2)} %`;
}

export function platformText(platform: Platform | null): string | null {
  return platform === null
    ? null
    : [platform.os, platform.architecture, platform.variant].filter(Boolean).join('/');
}

/** "+1.2 MB" / "-300 B": a change in size with its sign. */
export function formatDeltaBytes(delta: number): string {
  return `${delta > 0 ? '+' : delta < 0 ? '-' : '±'}${formatBytes(Math.abs(delta))}`;
}

export function formatDeltaPercent(fraction: number | null): string {
  return fraction === null ? '' : `${fraction > 0 ? '+' : ''}${(fraction * 100).toFixed(1)} %`;
}
