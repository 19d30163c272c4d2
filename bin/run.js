#!/usr/bin/env node
// dist/cli/launch.js decides how to start: see src/cli/launch.ts.
const { launch } = await import('../dist/cli/launch.js');
await launch(import.meta.url);
