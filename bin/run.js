#!/usr/bin/env node
import module from 'node:module';

// Node >= 22.1 keeps compiled code on disk between runs: a faster start from the second run on.
module.enableCompileCache?.();
const { main } = await import('../dist/cli/main.js');
await main(import.meta.url);
