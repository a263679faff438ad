/**
 * SilverComplianceInputs reads silver positions into tracks held as columns, and builds each vessel's track fixes
 * when they are read: the same fixes, field for field, as the rows (sorted by time, sog and status only where given,
 * jumps flagged), built anew on each read; and how far the feed reaches from the rows' arrival times.
 */
import { describe, expect, it } from '@jest/globals';
import { parquetWriteBuffer } from 'hyparquet-writer';

import { InMemoryLake } from '../../../shared/adapters/memory/InMemoryLake.js';
import { SilverComplianceInputs } from '../../../shared/adapters/SilverComplianceInputs.js';
import type { TrackFix } from '../../../shared/domain/compliance/index.js';

const H = 3_600_000;
const D0 = Date.UTC(2026, 11, 4);

interface Row {
    mmsi: number;
    t: number;
    sog: number | null;
    nav: number | null;
    jump: boolean;
    arrived: number;
}

function positions(rows: Row[]): Uint8Array {
    return new Uint8Array(
        parquetWriteBuffer({
            columnData: [
                { name: 'mmsi', data: rows.map((r) => r.mmsi), type: 'INT32' },
                { name: 'event_time', data: rows.map((r) => new Date(r.t)), type: 'TIMESTAMP' },
                { name: 'lat', data: rows.map((r) => 55 + (r.t - D0) / H / 100), type: 'DOUBLE' },
                { name: 'lon', data: rows.map((r) => 3 + r.mmsi / 1e10), type: 'DOUBLE' },
                { name: 'sog', data: rows.map((r) => r.sog), type: 'DOUBLE' },
                { name: 'nav_status', data: rows.map((r) => r.nav), type: 'INT32' },
                {
                    name: 'flags',
                    data: rows.map((r) => (r.jump ? 'IMPLAUSIBLE_JUMP' : '')),
                    type: 'STRING',
                },
                { name: 'imo', data: rows.map(() => null), type: 'INT32' },
                {
                    name: 'length',
                    data: rows.map((r) => (r.mmsi === 219_000_001 ? 120 : null)),
                    type: 'DOUBLE',
                },
                { name: 'eh_enqueued_time', data: rows.map((r) => new Date(r.arrived)), type: 'TIMESTAMP' },
            ],
            rowGroupSize: 7,
        }),
    );
}

describe('SilverComplianceInputs', () => {
    it('builds each track from its columns when read: the rows as fixes, sorted, field for field, anew each time', async () => {
        const lake = new InMemoryLake();
        const rows: Row[] = [];
        // two vessels, fixes every 10 min over two hours, written out of time order, some without sog or status
        for (let i = 23; i >= 0; i--)
            for (const mmsi of [219_000_001, 219_000_002])
                rows.push({
                    mmsi,
                    t: D0 + 8 * H + i * 10 * 60_000,
                    sog: i % 4 === 0 ? null : i / 2,
                    nav: i % 5 === 0 ? null : i % 3,
                    jump: i === 7 && mmsi === 219_000_002,
                    arrived: D0 + 8 * H + i * 10 * 60_000 + 3_000,
                });
        const hour8 = rows.filter((r) => r.t < D0 + 9 * H);
        const hour9 = rows.filter((r) => r.t >= D0 + 9 * H);
        await lake.writeBytes('silver', 'ais_positions/date=2026-12-04/hour=08/a.parquet', positions(hour8));
        await lake.writeBytes('silver', 'ais_positions/date=2026-12-04/hour=09/b.parquet', positions(hour9));

        const inputs = await new SilverComplianceInputs(lake).read({
            from: D0,
            windowStart: D0,
            to: D0 + 24 * H,
        });
        expect(inputs.tracks.map((t) => t.mmsi).sort()).toEqual([219_000_001, 219_000_002]);
        for (const track of inputs.tracks) {
            const expected: TrackFix[] = rows
                .filter((r) => r.mmsi === track.mmsi)
                .sort((a, b) => a.t - b.t)
                .map((r) => ({
                    t: r.t,
                    lat: 55 + (r.t - D0) / H / 100,
                    lon: 3 + r.mmsi / 1e10,
                    ...(r.sog !== null && { sog: r.sog }),
                    ...(r.nav !== null && { navStatus: r.nav }),
                    ...(r.jump && { jump: true }),
                }));
            const fixes = track.fixes;
            expect(fixes).toEqual(expected);
            // built on each read: equal, not the same objects (nothing held between reads)
            expect(track.fixes).toEqual(fixes);
            expect(track.fixes[0]).not.toBe(fixes[0]);
        }
        expect(inputs.tracks.find((t) => t.mmsi === 219_000_001)!.lengthM).toBe(120);
        expect(inputs.tracks.find((t) => t.mmsi === 219_000_002)!.lengthM).toBeUndefined();
        // a live feed: the horizon is seconds behind the newest arrival
        expect(inputs.heardUntil).toBeLessThanOrEqual(D0 + 8 * H + 23 * 10 * 60_000);
        expect(inputs.heardUntil).toBeGreaterThanOrEqual(D0 + 8 * H + 23 * 10 * 60_000 - 5 * 60_000);
    });
});
