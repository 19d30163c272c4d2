#!/usr/bin/env node
// CommonJS (bin/package.json): Node 20 starts an ES module entry about 4 ms later than this.
// dist/cli/launch.cjs decides how to start: see src/cli/launch.ts.
'use strict';
require('../dist/cli/launch.cjs').launch(require('node:url').pathToFileURL(__filename).href);
