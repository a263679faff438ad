import { readFileSync } from 'node:fs';

import { describe, expect, it } from '@jest/globals';

import { ingestAisBatch } from '../../../shared/app/ingestAisBatch.js';
import type { ReceivedEvent } from '../../../shared/app/ports.js';
import { alertId } from '../../../shared/domain/alerts/alert.js';
import { nmeaContentKey } from '../../../shared/domain/enrichment/dedupe.js';
import { parseAisBatch } from '../../../shared/domain/formats/aisBatch.js';
import { DependencyError } from '../../../shared/errors.js';
import { aisPositionEvent, eventBatch, NOW, vesselState } from '../../helpers/factories.js';
import { aisIngestFakes, testZones } from '../../helpers/ingestFakes.js';

const testdata = (name: string): string =>
    readFileSync(new URL(`../../../../shared/testdata/ais/${name}`, import.meta.url), 'utf8');

/** Real sentences (sample.aivdm, gpsd). */
const TYPE1 = '!AIVDM,1,1,,A,15RTgt0PAso;90TKcjM8h6g208CQ,0*4A'; // 371798000
const TYPE5 = [
    '!AIVDM,2,1,1,A,55?MbV02;H;s<HtKR20EHE:0@T4@Dn2222222216L961O5Gf0NSQEp6ClRp8,0*1C',
    '!AIVDM,2,2,1,A,88888888880,2*25',
]; // 351759000, EVER DIADEM

const ZONES = testZones();

/** sample.aivdm as events: each comment-free line its own event (fragments split across events, as some feeds do). */
function sampleEvents(): ReceivedEvent[] {
    const lines = testdata('sample.aivdm')
        .split('\n')
        .filter((l) => l.trim() !== '' && !l.startsWith('#'));
    return eventBatch(lines);
}

describe('ingestAisBatch', () => {
    it('lands the real gpsd sample: every event in bronze, every message in silver or quarantine, counts reconcile', async () => {
        // Arrange
        const d = aisIngestFakes();
        const events = sampleEvents();
        // Act
        const s = await ingestAisBatch(events, d);
        // Assert
        expect(s.received).toBe(s.accepted + s.quarantined + s.duplicates);
        expect(s.events).toBe(events.length);
        expect(d.lake.allJsonLines('bronze')).toHaveLength(events.length);
        const quarantined = d.lake.allJsonLines('quarantine');
        expect(quarantined).toHaveLength(s.quarantined);
        const silver = d.lake.allParquetRows('silver');
        expect(silver.length).toBeGreaterThanOrEqual(s.accepted); // type 19 / CSV items may give two rows
        // 118 sentences + 1 line that is not NMEA (119 events); they decode to 102 messages (multi-sentence ones
        // count once) + 1 malformed line = 103 items; 4 messages
        // appear twice in the file (same payload) and count as duplicates.
        // 3 sentences end in a USCG receiver suffix whose Unix time (2009/2010) is their event time: older than
        // the test's maxAgeMs, so EVENT_TIME_TOO_OLD.
        expect(s).toMatchObject({ events: 119, received: 103, accepted: 95, quarantined: 4, duplicates: 4 });
        expect(s.quarantinedByReason).toEqual({ NMEA_MALFORMED: 1, EVENT_TIME_TOO_OLD: 3 });
        expect({ positions: s.positions, statics: s.statics, others: s.others }).toEqual({
            positions: 13,
            statics: 10,
            others: 73,
        });
        // Lineage: every blob the batch wrote, with its rows.
        const rowsIn = (container: string): number =>
            s.outputs.filter((o) => o.container === container).reduce((n, o) => n + o.rows, 0);
        expect({
            bronze: rowsIn('bronze'),
            quarantine: rowsIn('quarantine'),
            silver: rowsIn('silver'),
        }).toEqual({ bronze: 119, quarantine: 4, silver: silver.length });
        expect(
            s.outputs
                .filter((o) => o.container === 'silver')
                .map((o) => o.path)
                .sort(),
        ).toEqual(d.lake.paths('silver').sort());
    });

    it('logs one structured summary line and emits the metrics', async () => {
        const d = aisIngestFakes();
        const s = await ingestAisBatch(eventBatch([TYPE1, 'garbage line']), d);
        const summaries = d.logger.withMessage('ais batch processed');
        const tracked = d.metrics.tracked.map((t) => [t.name, t.value]);
        expect(summaries).toHaveLength(1);
        expect(summaries[0]?.props).toMatchObject({
            received: 2,
            accepted: 1,
            quarantined: 1,
            duplicates: 0,
        });
        expect(tracked).toEqual(
            expect.arrayContaining([
                ['ais.received', 2],
                ['ais.accepted', 1],
                ['ais.quarantined', 1],
                ['ais.duplicates', 0],
            ]),
        );
        expect(s.quarantinedByReason).toEqual({ NMEA_MALFORMED: 1 });
    });

    it('quarantines bad lines with their reason and still lands the rest', async () => {
        const d = aisIngestFakes();
        const badChecksum = TYPE1.replace('*4A', '*00');
        const s = await ingestAisBatch(
            eventBatch([TYPE1, badChecksum, '!AIVDM,1,1,,A,15RTgt0PAso;90TKcjM8h6g208CQ', ...TYPE5]),
            d,
        );
        expect(s).toMatchObject({ received: 4, accepted: 2, quarantined: 2, duplicates: 0 });
        const q = d.lake.allJsonLines('quarantine') as {
            reason: string;
            raw: string;
            eventHub: { sequenceNumber: number };
        }[];
        expect(q.map((e) => e.reason).sort()).toEqual(['NMEA_CHECKSUM', 'NMEA_CHECKSUM']);
        expect(q.map((e) => e.raw)).toContain(badChecksum);
        expect(q.find((e) => e.raw === badChecksum)?.eventHub.sequenceNumber).toBe(101);
        expect(d.vessels.state(371798000)?.position).toMatchObject({
            lat: expect.closeTo(48.38163, 4),
            lon: expect.closeTo(-123.39538, 4),
        });
        expect(d.vessels.state(351759000)?.static).toMatchObject({ name: 'EVER DIADEM', imo: 9134270 });
    });

    it('counts the same message heard by two receivers once', async () => {
        const t = Math.floor((NOW - 5000) / 1000);
        const tb = (body: string): string => {
            let x = 0;
            for (const ch of body) x ^= ch.charCodeAt(0);
            return `\\${body}*${x.toString(16).toUpperCase().padStart(2, '0')}\\`;
        };
        const d = aisIngestFakes();
        const s = await ingestAisBatch(
            eventBatch([`${tb(`s:rx1,c:${t}`)}${TYPE1}`, `${tb(`s:rx2,c:${t + 1}`)}${TYPE1}`, TYPE1]),
            d,
        );
        expect(s).toMatchObject({ received: 3, accepted: 1, duplicates: 2, quarantined: 0 });
        expect(d.lake.allParquetRows('silver', 'ais_positions/')).toHaveLength(1);
    });

    it('changes nothing when a batch is delivered again', async () => {
        const d = aisIngestFakes();
        const events = sampleEvents();
        const first = await ingestAisBatch(events, d);
        const blobsAfterFirst = ['bronze', 'silver', 'quarantine']
            .flatMap((c) => d.lake.paths(c as 'bronze').map((p) => `${c}/${p}`))
            .sort();
        const statesAfterFirst = JSON.stringify(
            [...new Set((await d.vessels.queryVessels({ limit: 1000 })).items.map((v) => v.mmsi))]
                .sort()
                .map((m) => d.vessels.state(m))
                .map((s) => ({ ...s, etag: undefined, updatedAt: undefined })),
        );
        const silverRows = d.lake.allParquetRows('silver').length;
        // Act: the same batch again (Event Hubs redelivery after a crash before checkpoint)
        const second = await ingestAisBatch(events, d);
        // Assert
        expect({ ...second, durationMs: 0 }).toEqual({ ...first, durationMs: 0 });
        const blobsAfterSecond = ['bronze', 'silver', 'quarantine']
            .flatMap((c) => d.lake.paths(c as 'bronze').map((p) => `${c}/${p}`))
            .sort();
        expect(blobsAfterSecond).toEqual(blobsAfterFirst);
        expect(d.lake.allParquetRows('silver')).toHaveLength(silverRows);
        const statesAfterSecond = JSON.stringify(
            [...new Set((await d.vessels.queryVessels({ limit: 1000 })).items.map((v) => v.mmsi))]
                .sort()
                .map((m) => d.vessels.state(m))
                .map((s) => ({ ...s, etag: undefined, updatedAt: undefined })),
        );
        expect(statesAfterSecond).toEqual(statesAfterFirst);
        for (const m of [371798000, 351759000]) {
            const buckets = d.vessels.trackBuckets(m);
            const points = [...buckets.values()].flatMap((b) => b.points);
            expect(new Set(points.map((p) => p.t)).size).toBe(points.length);
        }
    });

    it('never lets an older event overwrite a newer vessel state', async () => {
        const d = aisIngestFakes();
        const json = (t: number, lat: number): string =>
            JSON.stringify(aisPositionEvent({ mmsi: 366123456, time: t, lat, lon: -122.4, sog: 10 }));
        await ingestAisBatch(eventBatch([json(NOW - 60_000, 37.8)], { firstSequence: 1 }), d);
        await ingestAisBatch(eventBatch([json(NOW - 600_000, 37.1)], { firstSequence: 2 }), d); // late data
        expect(d.vessels.state(366123456)?.position).toMatchObject({ lat: 37.8, eventTime: NOW - 60_000 });
        const track = await d.vessels.getTrack(366123456, NOW - 3_600_000, NOW);
        expect(track.map((p) => p.lat)).toEqual([37.1, 37.8]); // the late fix still lands in its track hour
    });

    it('throws on a failing sink, and the retry of the same batch lands it without duplicates', async () => {
        const d = aisIngestFakes();
        const events = eventBatch([TYPE1, ...TYPE5, 'junk']);
        d.lake.failNextWrite = new DependencyError('storage unavailable');
        await expect(ingestAisBatch(events, d)).rejects.toThrow(DependencyError);
        d.vessels.failNextWrite = new DependencyError('cosmos unavailable');
        await expect(ingestAisBatch(events, d)).rejects.toThrow(DependencyError);
        const s = await ingestAisBatch(events, d);
        expect(s).toMatchObject({ received: 3, accepted: 2, quarantined: 1, duplicates: 0 });
        expect(d.lake.allJsonLines('bronze')).toHaveLength(4);
        expect(d.lake.allJsonLines('quarantine')).toHaveLength(1);
        expect(d.lake.allParquetRows('silver', 'ais_positions/')).toHaveLength(1);
        const points = [...d.vessels.trackBuckets(371798000).values()].flatMap((b) => b.points);
        expect(points).toHaveLength(1);
    });

    it('re-reads and re-applies a vessel whose state changed concurrently', async () => {
        const d = aisIngestFakes();
        const t = NOW - 10_000;
        d.vessels.seed(vesselState({ mmsi: 371798000, time: t - 1000, updatedAt: t, lat: 1, lon: 1 }));
        // Arrange a conflict: the etag read by the batch is stale when it writes.
        const getVessels = d.vessels.getVessels.bind(d.vessels);
        let calls = 0;
        d.vessels.getVessels = async (m, h) => {
            const r = await getVessels(m, h);
            if (calls++ === 0)
                d.vessels.seed(vesselState({ mmsi: 371798000, time: t - 500, updatedAt: t, lat: 2, lon: 2 }));
            return r;
        };
        const s = await ingestAisBatch(eventBatch([TYPE1]), d);
        expect(s.stateConflicts).toBe(1);
        expect(d.vessels.state(371798000)?.position).toMatchObject({ lat: expect.closeTo(48.38, 1) });
    });

    it('takes JSON events and MarineCadastre CSV rows in the same batch', async () => {
        const d = aisIngestFakes();
        const iso = new Date(NOW - 120_000).toISOString().slice(0, 19);
        const csv = `367123450,${iso},29.9,-90.1,12.3,180.5,181,TEST VESSEL,IMO9134270,WDC1234,70,0,120,20,6.5,70,A`;
        const js = JSON.stringify([
            {
                type: 'static',
                mmsi: 211000000,
                name: 'JSON SHIP',
                imo: 9383663,
                timestamp: new Date(NOW - 1000).toISOString(),
            },
        ]);
        const s = await ingestAisBatch(eventBatch([csv, js, '{not json']), d);
        expect(s).toMatchObject({ received: 3, accepted: 2, quarantined: 1 });
        expect(d.vessels.state(367123450)).toMatchObject({
            position: { lat: 29.9, lon: -90.1 },
            static: { name: 'TEST VESSEL' },
        });
        expect(d.vessels.state(211000000)?.static).toMatchObject({ name: 'JSON SHIP' });
    });

    it('quarantines events older than the horizon and in the future', async () => {
        const d = aisIngestFakes();
        const json = (t: number): string =>
            JSON.stringify(aisPositionEvent({ mmsi: 366123456, time: t, lat: 37, lon: -122 }));
        const s = await ingestAisBatch(eventBatch([json(NOW - 40 * 86_400_000), json(NOW + 3_600_000)]), d);
        expect(s.quarantinedByReason).toEqual({ EVENT_TIME_TOO_OLD: 1, EVENT_TIME_IN_FUTURE: 1 });
    });

    it('returns an empty summary for an empty batch', async () => {
        const s = await ingestAisBatch([], aisIngestFakes());
        expect(s).toMatchObject({ events: 0, received: 0 });
    });
});

describe('ingestAisBatch zone events', () => {
    const MMSI = 235000001;
    const ECA = 'eca-north-sea';
    // Checked against createZoneIndex(): 54N 3.5W (Irish Sea) is in no zone, 54N 2E is in the North Sea ECA.
    const OUTSIDE = { lat: 54.0, lon: -3.5 };
    const INSIDE = { lat: 54.0, lon: 2.0 };
    const pos = (t: number, p: { lat: number; lon: number }): string =>
        JSON.stringify(aisPositionEvent({ mmsi: MMSI, time: t, ...p }));
    const t1 = NOW - 600_000;
    const t2 = NOW - 300_000;
    const t3 = NOW - 60_000;

    it('uses points whose zones are known', () => {
        expect(ZONES.zonesAt(OUTSIDE.lat, OUTSIDE.lon, t1)).toEqual([]);
        expect(ZONES.zonesAt(INSIDE.lat, INSIDE.lon, t2)).toEqual([ECA]);
    });

    it('raises one entry when a vessel sails in, none on redelivery, an exit when it leaves, nothing for late data', async () => {
        const d = aisIngestFakes();
        // First fix of a new vessel (outside) raises nothing; the next fix of the same batch enters the ECA.
        const entering = eventBatch([pos(t1, OUTSIDE), pos(t2, INSIDE)], { firstSequence: 1 });
        const s1 = await ingestAisBatch(entering, d);
        expect(s1.zoneEvents).toBe(1);
        expect(d.metrics.values('ais.zoneEvents')).toEqual([1]);
        expect(d.alerts.all()).toEqual([
            {
                id: alertId('zone-entry', [MMSI, ECA, t2]),
                kind: 'zone-entry',
                severity: 'info',
                mmsi: MMSI,
                vessels: [MMSI],
                time: t2,
                position: INSIDE,
                details: { zone: ECA, from: t1 },
                ruleVersion: 'zones',
                raisedAt: NOW,
            },
        ]);
        expect(d.publisher.published.map((a) => a.id)).toEqual([alertId('zone-entry', [MMSI, ECA, t2])]);
        expect(d.vessels.state(MMSI)).toMatchObject({ position: { eventTime: t2 }, zones: [ECA] });

        // Redelivery: nothing new.
        const s2 = await ingestAisBatch(entering, d);
        expect(s2.zoneEvents).toBe(0);
        expect(d.alerts.all()).toHaveLength(1);

        // Leaving.
        const s3 = await ingestAisBatch(eventBatch([pos(t3, OUTSIDE)], { firstSequence: 3 }), d);
        expect(s3.zoneEvents).toBe(1);
        expect(d.alerts.all().map((a) => a.id)).toEqual([
            alertId('zone-exit', [MMSI, ECA, t3]),
            alertId('zone-entry', [MMSI, ECA, t2]),
        ]);
        expect(d.alerts.all()[0]).toMatchObject({
            kind: 'zone-exit',
            position: OUTSIDE,
            details: { zone: ECA, from: t2 },
        });
        expect(d.vessels.state(MMSI)).toMatchObject({ position: { eventTime: t3 }, zones: [] });

        // Late data (inside, before the stored position): no entry or exit, the state keeps its zones.
        const s4 = await ingestAisBatch(eventBatch([pos(NOW - 120_000, INSIDE)], { firstSequence: 4 }), d);
        expect(s4.zoneEvents).toBe(0);
        expect(d.alerts.all()).toHaveLength(2);
        expect(d.vessels.state(MMSI)).toMatchObject({ position: { eventTime: t3 }, zones: [] });
    });

    it('saves the alerts before the vessel state, so a retry after a state-write failure rewrites the same ids', async () => {
        const d = aisIngestFakes();
        await ingestAisBatch(eventBatch([pos(t1, OUTSIDE)], { firstSequence: 1 }), d);
        const entering = eventBatch([pos(t2, INSIDE)], { firstSequence: 2 });
        d.vessels.failNextWrite = new DependencyError('cosmos unavailable');
        await expect(ingestAisBatch(entering, d)).rejects.toThrow(DependencyError);
        expect(d.alerts.all().map((a) => a.id)).toEqual([alertId('zone-entry', [MMSI, ECA, t2])]);
        const s = await ingestAisBatch(entering, d);
        expect(s.zoneEvents).toBe(1);
        expect(d.alerts.all()).toHaveLength(1);
        expect(d.publisher.published).toHaveLength(2); // published again: consumers de-duplicate by id
        expect(d.vessels.state(MMSI)?.zones).toEqual([ECA]);
    });

    it('derives the previous zones from the stored position of a state written without zones', async () => {
        const d = aisIngestFakes();
        d.vessels.seed(vesselState({ mmsi: MMSI, time: t1, ...INSIDE }));
        const s = await ingestAisBatch(eventBatch([pos(t2, OUTSIDE)], { firstSequence: 1 }), d);
        expect(s.zoneEvents).toBe(1);
        expect(d.alerts.all()[0]).toMatchObject({ kind: 'zone-exit', details: { zone: ECA, from: t1 } });
    });

    it('raises nothing while a vessel stays in the same zones, and keeps zones across non-position records', async () => {
        const d = aisIngestFakes();
        await ingestAisBatch(
            eventBatch([pos(t1, INSIDE), pos(t2, { lat: 54.5, lon: 3 })], { firstSequence: 1 }),
            d,
        );
        const stat = JSON.stringify({
            type: 'static',
            mmsi: MMSI,
            name: 'NORTH SEA',
            timestamp: new Date(t3).toISOString(),
        });
        const s = await ingestAisBatch(eventBatch([stat], { firstSequence: 3 }), d);
        expect(s.zoneEvents).toBe(0);
        expect(d.alerts.all()).toEqual([]);
        expect(d.vessels.state(MMSI)).toMatchObject({ static: { name: 'NORTH SEA' }, zones: [ECA] });
    });
});

describe('parseAisBatch', () => {
    it('reassembles a multi-sentence message split across events, and quarantines a dangling fragment', () => {
        const items = parseAisBatch(eventBatch([TYPE5[0] as string, TYPE5[1] as string, TYPE5[0] as string]));
        expect(items).toHaveLength(2);
        expect(items[0]?.records?.[0]).toMatchObject({ kind: 'static', mmsi: 351759000 });
        expect(items[1]?.error?.reason).toBe('FRAGMENT_INCOMPLETE');
        expect(items[1]?.eventIndex).toBe(0);
    });

    it('keys NMEA content by payload, ignoring tag blocks and channels', () => {
        expect(nmeaContentKey([`\\s:a*00\\${TYPE1}`])).toBe(nmeaContentKey([TYPE1.replace(',A,', ',B,')]));
        expect(nmeaContentKey(TYPE5)).toBe(
            '55?MbV02;H;s<HtKR20EHE:0@T4@Dn2222222216L961O5Gf0NSQEp6ClRp8|88888888880',
        );
    });
});
