#!/usr/bin/env node
// dist/cli/launch.cjs decides how to start: see src/cli/launch.ts. Required rather than imported
// (scripts/bundle-commands.js says why); process.getBuiltinModule is Node >= 20.16.
const { createRequire } = process.getBuiltinModule?.('node:module') ?? (await import('node:module'));
const { launch } = createRequire(import.meta.url)('../dist/cli/launch.cjs');
await launch(import.meta.url);
