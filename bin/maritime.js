#!/usr/bin/env node
// Shim for the `maritime` CLI: the code is TypeScript compiled to dist/ by `npm run build` (run by `prepare`
// on `npm install`).
import '../dist/cli/maritime.js';
