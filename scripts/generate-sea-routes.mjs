// Writes local/data/sea-routes.json: sea routes between each port of the port list (shared/data/ports.tsv) and its
// nearest ports,
// planned on the Natural Earth 1:50m land mask (local/simulator/seaRoutes.ts). Run after `npm run build`:
//   node scripts/generate-sea-routes.mjs
// A route is kept when it is at most twice the great-circle distance plus 60 NM (a neighbour, not a voyage
// around a continent).
import { writeFileSync } from 'node:fs';
import { stdout } from 'node:process';
import { fileURLToPath, URL } from 'node:url';

import { distanceNm } from '../dist/local/simulator/greatCircle.js';
import { naturalEarthLand } from '../dist/local/simulator/landMask.js';
import { pathNm, planSeaRoute, portKey } from '../dist/local/simulator/seaRoutes.js';
import { portList } from '../dist/shared/domain/reference/lookup.js';

const NEAREST = 10;
const started = Date.now();
const mask = naturalEarthLand();
const ports = portList();
const gates = new Map(ports.map((p) => [portKey(p), mask.nearestSea(p)]));
const routes = new Map();
const round = (x) => Math.round(x * 1000) / 1000;
for (const [i, a] of ports.entries()) {
    stdout.write(`\r${i + 1}/${ports.length} ${a.name.padEnd(30)}`);
    const near = ports
        .filter((b) => b !== a)
        .map((b) => ({ b, nm: distanceNm(a, b) }))
        .sort((x, y) => x.nm - y.nm)
        .slice(0, NEAREST);
    for (const { b, nm } of near) {
        const [p, q] = portKey(a) < portKey(b) ? [a, b] : [b, a];
        const key = `${portKey(p)}|${portKey(q)}`;
        if (routes.has(key)) continue;
        const gp = gates.get(portKey(p));
        const gq = gates.get(portKey(q));
        const path = gp && gq ? planSeaRoute(mask, gp, gq, 2 * nm + 60) : undefined;
        if (path === undefined) {
            routes.set(key, undefined);
            continue;
        }
        const rounded = path.map((w) => ({ lat: round(w.lat), lon: round(w.lon) }));
        const total =
            distanceNm(p, rounded[0]) + pathNm(rounded) + distanceNm(rounded[rounded.length - 1], q);
        if (total > 2 * nm + 60) {
            routes.set(key, undefined);
            continue;
        }
        routes.set(key, {
            a: portKey(p),
            b: portKey(q),
            nm: Math.round(total * 10) / 10,
            path: rounded.map((w) => [w.lat, w.lon]),
        });
    }
}
const kept = [...routes.values()]
    .filter((r) => r !== undefined)
    .sort((x, y) => (x.a + x.b < y.a + y.b ? -1 : 1));
const out = fileURLToPath(new URL('../local/data/sea-routes.json', import.meta.url));
const lines = kept.map((r) => '  ' + JSON.stringify(r)).join(',\n');
writeFileSync(
    out,
    `{"source": "scripts/generate-sea-routes.mjs: A* on the Natural Earth 1:50m land mask (world-atlas land-50m, 1/20 degree) between each port of ports.tsv and its ${NEAREST} nearest", "routes": [\n${lines}\n]}\n`,
);
const linked = new Set(kept.flatMap((r) => [r.a, r.b]));
stdout.write(
    `wrote ${out}: ${kept.length} routes of ${routes.size} pairs tried, ${linked.size}/${ports.length} ports linked, ${((Date.now() - started) / 1000).toFixed(1)} s\n`,
);
