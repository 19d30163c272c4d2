#!/usr/bin/env node
// Bundles the HTML report's browser code (src/web) into dist/web: one IIFE script and one
// stylesheet that src/render/html-report.ts inlines into every report.
import { build } from 'esbuild';
import { copyFileSync, mkdirSync } from 'node:fs';

mkdirSync('dist/web', { recursive: true });
await build({
  entryPoints: ['src/web/main.ts'],
  outfile: 'dist/web/report.js',
  bundle: true,
  format: 'iife',
  platform: 'browser',
  target: ['chrome110', 'firefox115', 'safari16'],
  minify: true,
  legalComments: 'inline',
  logLevel: 'warning',
});
copyFileSync('src/web/styles.css', 'dist/web/report.css');
