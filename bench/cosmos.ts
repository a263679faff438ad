/**
 * `npm run bench:cosmos`: the local Cosmos-protocol server with its query fast path (local/cosmosServerFastPath.ts)
 * against the package as published, on the same data and the same calls, alternating (fast, plain, fast, ...) so
 * the shared machine's load falls on both alike. Each round starts a server, loads a fleet (one state document and
 * `--hours` hours of track per vessel in 10-minute buckets, alerts, gold rows) straight into its memory, and times the calls the
 * API and the gold build make through our own adapters and the real @azure/cosmos SDK:
 *
 * - `getState`: the point read behind /api/vessels/{mmsi};
 * - `getTrack`: /api/vessels/{mmsi}/track (single-partition query over the vessel's buckets);
 * - `queryVessels 100`: /api/vessels?limit=100 (cross-partition, first page);
 * - `alerts 100`: /api/alerts?limit=100 (cross-partition, ORDER BY c.time DESC, first page);
 * - `gold ids of a day`: the id listing CosmosGoldStore.write runs per table and day (the 10M gold bench's timeout).
 *
 * Prints p50/p95/max per call and mode, and the plain/fast ratio of p50. Figures only: never fails on speed.
 *
 *   node dist/bench/cosmos.js [--vessels 1000] [--hours 24] [--points 120] [--alerts 5000] [--gold 20000]
 *                             [--calls 30] [--rounds 2]
 */
import { loadavg } from 'node:os';

import { type CosmosServer, startCosmosServer } from '../local/cosmosServer.js';
import { ensureCosmosResources } from '../local/cosmosSetup.js';
import { LOCAL_COSMOS_KEY } from '../local/services.js';
import { createCosmosClient } from '../shared/adapters/clients.js';
import { CosmosAlertStore } from '../shared/adapters/CosmosAlertStore.js';
import { CosmosVesselStore, splitHourTrackDocument } from '../shared/adapters/CosmosVesselStore.js';
import { benchArgs } from './lib/args.js';

const { values } = benchArgs({
    options: {
        vessels: { type: 'string', default: '1000' },
        hours: { type: 'string', default: '24' },
        points: { type: 'string', default: '120' },
        alerts: { type: 'string', default: '5000' },
        gold: { type: 'string', default: '20000' },
        calls: { type: 'string', default: '30' },
        rounds: { type: 'string', default: '2' },
    },
});
const VESSELS = Number(values.vessels);
const HOURS = Number(values.hours);
const POINTS = Number(values.points);
const ALERTS = Number(values.alerts);
const GOLD = Number(values.gold);
const CALLS = Number(values.calls);
const ROUNDS = Number(values.rounds);
const HOUR_MS = 3_600_000;
const T0 = Date.UTC(2026, 11, 1);
const DATABASE = 'bench';

type Mode = 'fast' | 'plain';
type Call = 'getState' | 'getTrack' | 'queryVessels 100' | 'alerts 100' | 'gold ids of a day';

/** The first error of a call and mode (the remaining calls of that case are skipped). */
const failures = new Map<string, string>();
const mmsiOf = (i: number): number => 366_000_000 + i;

function fleet(): Record<string, Record<string, unknown>[]> {
    const vessels: Record<string, unknown>[] = [];
    for (let v = 0; v < VESSELS; v++) {
        const mmsi = mmsiOf(v);
        const lastSeen = T0 + HOURS * HOUR_MS - 1000;
        vessels.push({
            id: 'state',
            docType: 'state',
            mmsi,
            flag: 'US',
            aisClass: 'A',
            position: { lat: 40 + v / VESSELS, lon: -70, t: lastSeen, sog: 12, cog: 90 },
            static: { name: `VESSEL ${v}`, shipType: 70 },
            lastSeen,
            updatedAt: lastSeen,
        });
        for (let h = 0; h < HOURS; h++) {
            const hourStart = T0 + h * HOUR_MS;
            const points = Array.from({ length: POINTS }, (_, p) => ({
                t: hourStart + Math.floor((p * HOUR_MS) / POINTS),
                lat: 40 + p / 1e4,
                lon: -70 + h / 100,
                sog: 12.3,
                cog: 91.5,
                heading: 90,
            }));
            // The hour's points in the documents of its 10-minute buckets, as the ingest writes them.
            vessels.push(
                ...splitHourTrackDocument({ docType: 'track', mmsi, hourStart, points, ttl: 7 * 86_400 }),
            );
        }
    }
    const alerts = Array.from({ length: ALERTS }, (_, a) => {
        const mmsi = mmsiOf(a % VESSELS);
        return {
            id: `sensor-threshold-${a}`,
            docType: 'alert',
            kind: 'sensor-threshold',
            severity: a % 7 === 0 ? 'critical' : 'warning',
            mmsi,
            vessels: [mmsi],
            time: T0 + a * 1000,
            details: { rule: 'fuel-sulphur', value: 0.8, threshold: 0.5 },
            rulesVersion: '1',
        };
    });
    const gold = Array.from({ length: GOLD }, (_, g) => {
        const mmsi = mmsiOf(g % VESSELS);
        const day = `2026-11-${String(1 + (Math.floor(g / VESSELS) % 28)).padStart(2, '0')}`;
        const table = ['vessel_daily', 'port_calls', 'voyages'][Math.floor(g / (VESSELS * 28)) % 3];
        const id = `${table}-${mmsi}-${day}-${g}`;
        return { id, mmsi, table, day, sortKey: `${day}|${id}`, distance_nm: 100 + (g % 50), fuel_t: 3.2 };
    });
    return { vessels, alerts, gold };
}

function percentile(sorted: number[], p: number): number {
    return (
        sorted[Math.min(sorted.length - 1, Math.max(0, Math.ceil((p / 100) * sorted.length) - 1))] ??
        Number.NaN
    );
}

async function round(
    mode: Mode,
    data: Record<string, Record<string, unknown>[]>,
): Promise<Map<Call, number[]>> {
    const server: CosmosServer = await startCosmosServer(0, { fastPath: mode === 'fast' });
    const client = createCosmosClient({
        endpoint: `https://127.0.0.1:${server.port}/`,
        key: LOCAL_COSMOS_KEY,
        database: DATABASE,
    });
    const times = new Map<Call, number[]>();
    try {
        const db = await ensureCosmosResources(client, DATABASE);
        await server.load(DATABASE, data);
        const vesselStore = new CosmosVesselStore(db.container('vessels'), { trackTtlDays: 7 });
        const alertStore = new CosmosAlertStore(db.container('alerts'));
        const gold = db.container('gold');
        const calls: Record<Call, (i: number) => Promise<unknown>> = {
            getState: (i) => vesselStore.getStates([mmsiOf((i * 37) % VESSELS)]),
            getTrack: (i) =>
                vesselStore.getTrack(
                    mmsiOf((i * 37) % VESSELS),
                    T0 + (HOURS - 6) * HOUR_MS,
                    T0 + HOURS * HOUR_MS,
                ),
            'queryVessels 100': () => vesselStore.queryVessels({ limit: 100 }),
            'alerts 100': () => alertStore.query({ limit: 100 }),
            'gold ids of a day': (i) =>
                gold.items
                    .query(
                        {
                            query: 'SELECT c.id, c.mmsi FROM c WHERE c["table"] = @table AND c.day = @day',
                            parameters: [
                                { name: '@table', value: 'vessel_daily' },
                                { name: '@day', value: `2026-11-${String(1 + (i % 28)).padStart(2, '0')}` },
                            ],
                        },
                        { maxItemCount: 5000 },
                    )
                    .fetchAll(),
        };
        for (const [name, call] of Object.entries(calls) as [Call, (i: number) => Promise<unknown>][]) {
            const list: number[] = [];
            try {
                await call(0); // warm-up (connection, parsed query)
                for (let i = 1; i <= CALLS; i++) {
                    const start = performance.now();
                    await call(i);
                    list.push(performance.now() - start);
                }
            } catch (error) {
                // The package as published times out (30 s) on large containers: the rest of this case is skipped.
                failures.set(
                    `${name}|${mode}`,
                    error instanceof Error ? error.message.slice(0, 60) : String(error),
                );
            }
            times.set(name, list);
        }
    } finally {
        client.dispose();
        await server.stop();
    }
    return times;
}

async function main(): Promise<void> {
    const data = fleet();
    const counts = Object.entries(data)
        .map(([k, v]) => `${k} ${v.length.toLocaleString('en-US')}`)
        .join(', ');
    console.log(
        `bench:cosmos — ${counts} documents; ${CALLS} calls per case; ${ROUNDS} round(s) alternating; load ${loadavg()[0]!.toFixed(1)}`,
    );
    const all = new Map<string, number[]>();
    for (let r = 0; r < ROUNDS; r++) {
        for (const mode of ['fast', 'plain'] as const) {
            const started = performance.now();
            const times = await round(mode, data);
            console.log(
                `  round ${r + 1} ${mode}: ${((performance.now() - started) / 1000).toFixed(1)} s, load ${loadavg()[0]!.toFixed(1)}`,
            );
            for (const [call, list] of times)
                all.set(`${call}|${mode}`, [...(all.get(`${call}|${mode}`) ?? []), ...list]);
        }
    }
    const rows: string[][] = [['call', 'mode', 'p50 ms', 'p95 ms', 'max ms', 'plain/fast p50']];
    const calls = [...new Set([...all.keys()].map((k) => k.split('|')[0]!))];
    for (const call of calls) {
        const stat = (mode: Mode): number[] => {
            const sorted = [...(all.get(`${call}|${mode}`) ?? [])].sort((a, b) => a - b);
            return [percentile(sorted, 50), percentile(sorted, 95), sorted.at(-1) ?? Number.NaN];
        };
        const fast = stat('fast');
        const plain = stat('plain');
        const cells = (mode: Mode, stats: number[]): string[] => {
            const failure = failures.get(`${call}|${mode}`);
            return failure === undefined ? stats.map((v) => v.toFixed(1)) : ['failed:', failure, ''];
        };
        const ratio =
            failures.size === 0 || (!failures.has(`${call}|fast`) && !failures.has(`${call}|plain`))
                ? `${(plain[0]! / fast[0]!).toFixed(1)}x`
                : '';
        rows.push([call, 'fast', ...cells('fast', fast), ratio]);
        rows.push([call, 'plain', ...cells('plain', plain), '']);
    }
    const widths = rows[0]!.map((_, i) => Math.max(...rows.map((r) => r[i]!.length)));
    for (const row of rows)
        console.log(row.map((c, i) => (i < 2 ? c.padEnd(widths[i]!) : c.padStart(widths[i]!))).join('  '));
    console.log(`load at the end ${loadavg()[0]!.toFixed(1)}`);
}

await main();
