/**
 * What `maritime decode` loads (cli/commands/index.ts): the decode command. `npm run build` replaces this file's
 * compiled form, dist/cli/decode/entry.js, by one bundle of it and every module of ours it imports
 * (scripts/build-cli.mjs), because Node's ESM loader costs ~25 ms of CPU at start-up to resolve, read, link and
 * evaluate the ~20 modules one at a time. The bundle sits in this folder so `new URL('./worker.js',
 * import.meta.url)` (cli/decode/nmeaParallel.ts) still finds the worker. Compiled by `tsc` alone (the tests'
 * build-if-stale), it is the plain re-export below: the same command.
 */
export { decodeCommand } from '../commands/decode.js';
