/** dive v0.13.1's own numbers for its test images (fixtures/dive/EXPECTED.json). */
import { readFileSync } from 'node:fs';
import { DIVE_FIXTURES } from './run-cli.js';

export interface DiveExpectedImage {
  efficiency: number;
  sizeBytes: number;
  userSizeBytes: number;
  wastedBytes: number;
  userWastedPercent: number | null;
  layers: { index: number; diffId: string; command: string; sizeBytes: number }[];
  inefficientFiles: { path: string; count: number; wastedBytes: number }[];
}

/** Every image in EXPECTED.json by file name. */
export function diveExpected(): Record<string, DiveExpectedImage> {
  return JSON.parse(readFileSync(`${DIVE_FIXTURES}EXPECTED.json`, 'utf8')) as Record<
    string,
    DiveExpectedImage
  >;
}
