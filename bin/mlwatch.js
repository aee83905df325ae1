#!/usr/bin/env node
// The CLI is TypeScript compiled to dist/ by `npm run build` (which `npm ci` runs through `prepare`).
'use strict';
let cli;
try {
  cli = require('../dist/cli/src/main.js');
} catch (error) {
  if (error && error.code === 'MODULE_NOT_FOUND' && String(error.message).includes('dist/cli/src/main.js')) {
    console.error('mlwatch: the CLI is not built yet; run `npm run build` (or `npm ci`) first.');
    process.exit(2);
  }
  throw error;
}
cli.main(process.argv.slice(2)).then((code) => {
  process.exitCode = code;
});
