import { afterAll, beforeAll, describe, expect, it, jest } from '@jest/globals';

import {
    buildGoldWindow,
    type GoldJobDeps,
    type GoldJobSettings,
    runGoldTimer,
} from '../../../shared/app/gold/runGoldJob.js';
import { dayStart } from '../../../shared/app/gold/window.js';
import { type Port, PortIndex } from '../../../shared/domain/gold/portCalls.js';
import { createZoneIndex } from '../../../shared/domain/zones/index.js';
import { type GoldTestStores, openGoldTestStores } from '../../helpers/goldTestStores.js';
import { type TestDatabase, type TestLake } from '../../helpers/localServices.js';
import { type Fix, writeSilverPositions, writeSilverStatics } from './silverFactory.js';

// Builds on Azurite and the Cosmos-protocol server take seconds each on a shared machine.
jest.setTimeout(240_000);

const A: Port = { locode: 'AAAAA', name: 'Port A', lat: 10, lon: 20, radiusNm: 3 };
const B: Port = { locode: 'BBBBB', name: 'Port B', lat: 11, lon: 20, radiusNm: 3 };
const D1 = '2026-07-01';
const D2 = '2026-07-02';
const T0 = dayStart(D1);
const MIN = 60_000;
const H = 60 * MIN;
const quiet = { debug() {}, info() {}, warn() {}, error() {} };
const settings = (shards: number): GoldJobSettings => ({
    graceMs: 0,
    horizonDays: 3,
    maxWindows: 3,
    leaseMs: 60_000,
    shards,
});

let lake: TestLake;
let db: TestDatabase;
let deps: GoldJobDeps;
let tick = 0;

/** Fixes every 10 min from `from` to `to` (ms after T0), moving linearly in latitude on lon 20. */
function leg(
    mmsi: number,
    from: number,
    to: number,
    lat0: number,
    lat1: number,
    sog: number,
    navStatus = 0,
): Fix[] {
    const out: Fix[] = [];
    for (let t = from; t <= to; t += 10 * MIN) {
        out.push({
            mmsi,
            t: T0 + t,
            lat: lat0 + ((lat1 - lat0) * (t - from)) / Math.max(1, to - from),
            lon: 20,
            sog,
            navStatus,
        });
    }
    return out;
}

beforeAll(async () => {
    let stores: GoldTestStores['stores'];
    ({ lake, db, stores } = await openGoldTestStores('portcalls'));
    deps = {
        ...stores,
        zones: createZoneIndex(),
        ports: new PortIndex([A, B]),
        // Time moves (1 ms per reading) within the third day after D1.
        clock: { now: () => T0 + 3 * 24 * H + tick++ },
        logger: quiet,
    };
    // Eight vessels (so four shards each get some) do the same thing an hour apart: approach A from the south, moor
    // at A from the evening of day 1 into day 2 (a call spanning midnight), sail to B, moor at B.
    const fixes: Fix[] = [];
    for (let k = 0; k < 8; k++) {
        const mmsi = 4001 + k;
        const o = k * 10 * MIN;
        fixes.push(
            ...leg(mmsi, 18 * H + o, 21 * H + o, 9.5, 9.99, 10),
            ...leg(mmsi, 21 * H + o + 10 * MIN, 30 * H + o, 9.99, 9.99, 0, 5),
            ...leg(mmsi, 30 * H + o + 10 * MIN, 35 * H + o, 10.01, 10.99, 12),
            ...leg(mmsi, 35 * H + o + 10 * MIN, 40 * H + o, 10.99, 10.99, 0, 5),
        );
    }
    await writeSilverPositions(lake.lake, fixes);
    // Voyage reports of vessel 4001 on day 2: one before leaving A (not this voyage's), one on the way to B (ETA
    // 10:00; it arrives 11:10). Vessel 4002 reports a destination without an ETA.
    await writeSilverStatics(lake.lake, [
        { mmsi: 4001, t: T0 + 26 * H, destination: 'AAAAA', eta: '07-02T05:00Z' },
        { mmsi: 4001, t: T0 + 33 * H, destination: 'BB BBB', eta: '07-02T10:00Z' },
        { mmsi: 4002, t: T0 + 33 * H, destination: 'PORT B' },
    ]);
}, 120_000);

afterAll(async () => {
    await Promise.all([lake?.dispose(), db?.dispose()]);
});

async function table(name: string, day: string) {
    const items = (await deps.gold.query({ table: name, fromDay: day, toDay: day, limit: 1000 })).items;
    return items
        .map(({ _rid, _self, _etag, _attachments, _ts, ...rest }) => rest)
        .sort((a, b) => (a.id < b.id ? -1 : 1));
}

async function snapshot() {
    const out: Record<string, unknown> = {};
    for (const t of ['vessel_daily', 'port_calls', 'port_calls_open', 'voyages']) {
        // run_id says which build wrote a row; the data itself must be identical.
        out[t] = [...(await table(t, D1)), ...(await table(t, D2))].map(({ run_id: _run, ...row }) => row);
    }
    return out;
}

describe('port calls and voyages through the gold build', () => {
    it('carries a call open at midnight into the next day, closes it once, and builds the voyage to the next port', async () => {
        await buildGoldWindow(deps, settings(1), D1, 'a', { force: true });
        await buildGoldWindow(deps, settings(1), D2, 'a', { force: true });

        const open1 = await table('port_calls_open', D1);
        expect(open1.map((c) => [c.mmsi, c.locode, c.status])).toEqual(
            Array.from({ length: 8 }, (_, k) => [4001 + k, 'AAAAA', 'open']),
        );
        const closed = await table('port_calls', D2);
        expect(closed).toHaveLength(8);
        const first = closed.find((c) => c.mmsi === 4001)!;
        expect(first).toMatchObject({ locode: 'AAAAA', status: 'closed', arrival: T0 + 21 * H + 10 * MIN });
        expect(await table('port_calls', D1)).toEqual([]);
        const voyages = await table('voyages', D2);
        expect(voyages).toHaveLength(8);
        expect(voyages.find((v) => v.mmsi === 4001)).toMatchObject({
            from_locode: 'AAAAA',
            to_locode: 'BBBBB',
            arrival: T0 + 35 * H + 10 * MIN,
            reported_destination: 'BB BBB',
            destination_match: true,
            reported_eta: T0 + 34 * H,
            eta_reported_at: T0 + 33 * H,
        });
        expect(voyages.find((v) => v.mmsi === 4001)!.eta_error_hours as number).toBeCloseTo(70 / 60, 9);
        expect(voyages.find((v) => v.mmsi === 4002)).toMatchObject({
            reported_destination: null,
            reported_eta: null,
            eta_error_hours: null,
        });
        expect((await table('port_calls_open', D2)).map((c) => c.locode)).toEqual(Array(8).fill('BBBBB'));
    });

    it('gives identical tables when built again (double fire) and when built in 4 shards instead of 1', async () => {
        const once = await snapshot();
        await buildGoldWindow(deps, settings(1), D1, 'b', { force: true });
        await buildGoldWindow(deps, settings(1), D2, 'b', { force: true });
        expect(await snapshot()).toEqual(once);
        await buildGoldWindow(deps, settings(4), D1, 'c', { force: true });
        await buildGoldWindow(deps, settings(4), D2, 'c', { force: true });
        expect(await snapshot()).toEqual(once);
        // The lake holds the 4-shard parts only (the 1-shard ones were replaced).
        const parts = (await lake.lake.list('gold', `port_calls/date=${D2}/`)).map((p) => p.path).sort();
        expect(parts).toEqual([0, 1, 2, 3].map((i) => `port_calls/date=${D2}/part-${i}-of-4.parquet`));
    });

    it('late data that changes the states at the end of a day rebuilds that day and then the next one', async () => {
        await runGoldTimer(deps, settings(1), 'settle');
        // Arrange: a late batch for day 1: vessel 4100 moors at A at 20:00 and stays silent on day 2.
        await writeSilverPositions(lake.lake, leg(4100, 20 * H, 23 * H, 9.99, 9.99, 0, 5), 9);
        // Act: the next fire rebuilds day 1 (its silver changed); the one after rebuilds day 2 (its start changed).
        const first = await runGoldTimer(deps, settings(1), 'late-1');
        const second = await runGoldTimer(deps, settings(1), 'late-2');
        const third = await runGoldTimer(deps, settings(1), 'late-3');
        // Assert
        // (Today, the clock's day, is partial and due at every fire.)
        const days = (due: string[]) => due.filter((d) => d === D1 || d === D2);
        expect(days(first.due)).toEqual([D1]);
        expect(days(second.due)).toEqual([D2]);
        expect(days(third.due)).toEqual([]);
        expect(
            (await table('port_calls_open', D2)).filter((c) => c.mmsi === 4100).map((c) => c.locode),
        ).toEqual(['AAAAA']);
    });
});
