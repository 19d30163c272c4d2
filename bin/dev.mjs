#!/usr/bin/env -S node --import tsx
import { execute } from '@oclif/core';

// The package's root, not this folder: bin/package.json (which makes bin/run.js CommonJS) has no name.
await execute({ development: true, dir: new URL('../package.json', import.meta.url).href });
