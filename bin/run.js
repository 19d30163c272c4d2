#!/usr/bin/env node
// CommonJS (bin/package.json): Node 20 starts an ES module entry about 4 ms later than this.
// dist/cli/launch.cjs decides how to start: see src/cli/launch.ts.
'use strict';
const { pathToFileURL } = require('node:url');

let launcher;
try {
  launcher = require('../dist/cli/launch.cjs');
} catch (error) {
  // A checkout that was never built: say what to do instead of printing a stack trace.
  if (error?.code !== 'MODULE_NOT_FOUND' || !String(error.message).includes('launch.cjs')) throw error;
  process.stderr.write('imgscope: error: this copy of imgscope is not built (run npm run build)\n');
  process.exit(70);
}
launcher.launch(pathToFileURL(__filename).href);
