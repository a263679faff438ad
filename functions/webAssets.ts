/**
 * The dashboard's and the API reference's static files: bundled at build time by `scripts/build-web.mjs` into
 * `dist/web/` (from npm packages: Leaflet, Chart.js, Swagger UI, Natural Earth coastlines from `world-atlas`),
 * read once per worker and served by the anonymous HTTP functions. Nothing is fetched from a CDN.
 */
import { existsSync, readFileSync } from 'node:fs';
import { extname } from 'node:path';
import { fileURLToPath } from 'node:url';

import type { HttpResponseInit } from '@azure/functions';

const CONTENT_TYPES: Record<string, string> = {
    '.html': 'text/html; charset=utf-8',
    '.js': 'text/javascript; charset=utf-8',
    '.css': 'text/css; charset=utf-8',
    '.json': 'application/json; charset=utf-8',
    '.map': 'application/json; charset=utf-8',
    '.svg': 'image/svg+xml',
};

/** `dist/web/` beside the compiled functions (`dist/functions/`), or from the sources (`functions/`, tests). */
function webRoot(): string {
    const candidates = [new URL('../web/', import.meta.url), new URL('../dist/web/', import.meta.url)].map(
        (u) => fileURLToPath(u),
    );
    // The sources' own `web/` folder has index.html too, but only a build has dashboard.js.
    return candidates.find((dir) => existsSync(`${dir}dashboard.js`)) ?? (candidates[0] as string);
}

let root: string | undefined;
const cache = new Map<string, string>();

/** A built file's text, or undefined when there is no such file (names are flat: no folders, no dots first). */
export function readWebAsset(name: string): string | undefined {
    if (!/^[\w-]+(\.[\w-]+)*$/.test(name) || !(extname(name) in CONTENT_TYPES)) return undefined;
    const hit = cache.get(name);
    if (hit !== undefined) return hit;
    root ??= webRoot();
    const path = `${root}${name}`;
    if (!existsSync(path)) return undefined;
    const text = readFileSync(path, 'utf8');
    cache.set(name, text);
    return text;
}

/** 200 with the file, 404 when it does not exist, 503 when the web bundle was not built at all. */
export function webAssetResponse(name: string, transform?: (text: string) => string): HttpResponseInit {
    const text = readWebAsset(name);
    if (text === undefined) {
        if (readWebAsset('dashboard.js') === undefined) {
            return {
                status: 503,
                jsonBody: {
                    error: 'unavailable',
                    message: `The web bundle is missing (${root ?? webRoot()}); run 'npm run build'.`,
                },
            };
        }
        return { status: 404, jsonBody: { error: 'not_found', message: `No dashboard file '${name}'.` } };
    }
    return {
        status: 200,
        body: transform ? transform(text) : text,
        headers: {
            'content-type': CONTENT_TYPES[extname(name)] ?? 'application/octet-stream',
            // HTML may change with a deployment; the bundles are small and revalidated hourly.
            'cache-control': name.endsWith('.html') ? 'no-cache' : 'public, max-age=3600',
            'x-content-type-options': 'nosniff',
        },
    };
}

/** The route prefix the page was reached under (`/api` for `/api/dashboard` or `/api/docs`), for `<base href>`. */
export function basePath(url: string, page: string): string {
    const path = new URL(url).pathname.replace(/\/+$/, '');
    return path.endsWith(`/${page}`) ? path.slice(0, -page.length - 1) : '/api';
}
