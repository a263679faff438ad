// Builds the dashboard and the API reference into dist/web/ (run by `npm run build`, hence by `npm install`'s
// prepare and `npm start`): esbuild bundles the TypeScript and CSS (Leaflet, leaflet.markercluster, Chart.js,
// topojson-client from npm), and the Natural Earth land polygons (world-atlas) and Swagger UI (swagger-ui-dist)
// are copied as they ship. Nothing is loaded from a CDN at run time.
import { copyFileSync, mkdirSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import process from 'node:process';
import { fileURLToPath } from 'node:url';

import { build } from 'esbuild';

const root = join(dirname(fileURLToPath(import.meta.url)), '..');
const out = join(root, 'dist', 'web');
const require = createRequire(import.meta.url);
const pkgDir = (name) => dirname(require.resolve(`${name}/package.json`));
mkdirSync(out, { recursive: true });

const started = Date.now();
await build({
    entryPoints: {
        dashboard: join(root, 'web/src/main.ts'),
        'docs-init': join(root, 'web/src/docs-init.ts'),
    },
    bundle: true,
    minify: true,
    sourcemap: true,
    format: 'iife',
    target: ['es2020'],
    // Leaflet's UMD build (mutable exports): leaflet.markercluster extends the global `L`.
    mainFields: ['browser', 'main', 'module'],
    outdir: out,
    logLevel: 'warning',
    legalComments: 'linked',
});
await build({
    entryPoints: { dashboard: join(root, 'web/styles.css') },
    bundle: true,
    minify: true,
    outdir: out,
    loader: { '.png': 'dataurl', '.svg': 'dataurl' },
    logLevel: 'warning',
});
for (const f of ['index.html', 'docs.html']) copyFileSync(join(root, 'web', f), join(out, f));
copyFileSync(join(pkgDir('world-atlas'), 'land-50m.json'), join(out, 'land-50m.json'));
for (const f of ['swagger-ui-bundle.js', 'swagger-ui.css'])
    copyFileSync(join(pkgDir('swagger-ui-dist'), f), join(out, f));
process.stdout.write(`web bundle built in ${Date.now() - started} ms -> dist/web/\n`);
