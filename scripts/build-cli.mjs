// Bundles the `decode` command into one file at start-up's request (run by `npm run build`, after `tsc`):
// dist/cli/decode/entry.js, tsc's re-export of dist/cli/commands/decode.js, becomes one ES module with every
// module of ours it imports, so `maritime decode` (and `npx maritime decode`) loads one file instead of ~20
// (Node's ESM loader: ~25 ms of CPU less at start-up, see cli/decode/entry.ts). npm packages and Node's own
// modules stay imports; so does cli/command.js, which cli/maritime.ts also loads (`instanceof UsageError` must
// see one class). Not minified: the same code, the same names (esbuild renames only on a clash).
import { dirname, join, relative } from 'node:path';
import process from 'node:process';
import { fileURLToPath } from 'node:url';

import { build } from 'esbuild';

const root = join(dirname(fileURLToPath(import.meta.url)), '..');
const entry = join(root, 'dist', 'cli', 'decode', 'entry.js');
const shared = [join(root, 'dist', 'cli', 'command.js')];

const started = Date.now();
await build({
    entryPoints: [entry],
    outfile: entry,
    allowOverwrite: true,
    bundle: true,
    format: 'esm',
    platform: 'node',
    target: 'node20',
    packages: 'external',
    sourcemap: true,
    logLevel: 'warning',
    plugins: [
        {
            name: 'keep-shared-modules',
            setup(b) {
                b.onResolve({ filter: /^\.\.?\// }, (args) => {
                    const path = join(args.resolveDir, args.path);
                    if (!shared.includes(path)) return undefined;
                    const rel = relative(dirname(entry), path);
                    return { path: rel.startsWith('.') ? rel : `./${rel}`, external: true };
                });
            },
        },
    ],
});
process.stdout.write(`decode command bundled in ${Date.now() - started} ms -> dist/cli/decode/entry.js\n`);
