/**
 * Conformance against gpsd's own regression files (see ../shared/testdata/ais/SOURCES.md):
 * - sample.aivdm → sample.aivdm.js.chk (`gpsdecode -j`, scaled), 97 records, field by field;
 * - ais-18-27.log → ais-18-27.log.chk (unscaled JSON), every type 18 and 27 record.
 *
 * gpsd values are mapped to our representation first: gpsd's printed "not available" values become absent
 * fields, turn strings become `turn` / `turn_indicator`, ISO-ish date strings become their components,
 * strings holding numbers (type 22/23 corners) become numbers. Floats compare within half a unit of the last
 * decimal gpsd printed.
 *
 * DIFFERENCES WITH GPSD — the only things not compared, each with its reason:
 *
 * | where                              | gpsd field(s)                       | why not compared                                    |
 * |------------------------------------|-------------------------------------|-----------------------------------------------------|
 * | all types                          | `*_text` legends                    | we emit the numeric codes only                      |
 * | type 8 DAC 1 FI 31 / FI 11         | pressuretend, leveltrend,           | gpsd prints legends; compared as codes taken from   |
 * |                                    | preciptype, ice (legend strings)    | the unscaled twin file sample.aivdm.ju.chk          |
 * | types 25, 26                       | dest_mmsi when not addressed,       | gpsd prints 0 for fields the message does not carry |
 * |                                    | app_id when not structured          | we leave them out                                   |
 * | type 26                            | radio                               | gpsd never decodes it and prints 0; we decode it    |
 * | type 24                            | (merged record)                     | gpsd merges part A into part B; we emit both parts: |
 * |                                    |                                     | A's shipname + B's fields are compared to the merge |
 *
 * Fields we add that gpsd does not print (allowed extra): `assigned` (9, 18, 21), `txrx` (23), `seqno1..4`
 * (7, 13), `partno` (24), `application` (6, 8), `radio` (26).
 */
import { describe, expect, it } from '@jest/globals';

import { type AisMessage, decodeLines } from '../../../../shared/domain/ais/index.js';
import { expectWith } from '../../../helpers/expectWith.js';
import { diff, fixtureLines, jsonLines, messagesOf, printedTolerance } from './fixtures.js';

type Rec = Record<string, unknown>;

const OURS_EXTRA: Record<number, string[]> = {
    6: ['application', 'data'],
    7: ['seqno1', 'seqno2', 'seqno3', 'seqno4'],
    8: ['application', 'data'],
    9: ['assigned'],
    13: ['seqno1', 'seqno2', 'seqno3', 'seqno4'],
    18: ['assigned'],
    21: ['assigned'],
    23: ['txrx'],
    24: ['partno'],
    26: ['radio'],
};

/**
 * Met/hydro (type 8 DAC 1 FI 31 / FI 11) raw not-available codes, per the IMO circulars (FI 31 also accepts
 * IMO236's all-ones codes outside its valid range, see application.ts). gpsd prints these raw codes scaled.
 */
const MET_NA_31: Record<string, number[]> = {
    wspeed: [127],
    wgust: [127],
    wdir: [360, 511],
    wgustdir: [360, 511],
    airtemp: [-1024],
    humidity: [101, 127],
    dewpoint: [501],
    pressure: [511],
    pressuretend: [3],
    visibility: [127],
    waterlevel: [4001],
    leveltrend: [3],
    cspeed: [255],
    cdir: [360, 511],
    cspeed2: [255],
    cdir2: [360, 511],
    cdepth2: [31],
    cspeed3: [255],
    cdir3: [360, 511],
    cdepth3: [31],
    waveheight: [255],
    waveperiod: [63],
    wavedir: [360, 511],
    swellheight: [255],
    swellperiod: [63],
    swelldir: [360, 511],
    seastate: [13, 15],
    watertemp: [501],
    preciptype: [7],
    salinity: [510, 511],
    ice: [3],
};
const MET_NA_11: Record<string, number[]> = {
    ...MET_NA_31,
    wdir: [360, 511],
    wgustdir: [360, 511],
    cdir: [360, 511],
    cdir2: [360, 511],
    cdir3: [360, 511],
    wavedir: [360, 511],
    swelldir: [360, 511],
    airtemp: [2047],
    humidity: [127],
    dewpoint: [1023],
    visibility: [255],
    waterlevel: [511],
    seastate: [15],
    watertemp: [1023],
    salinity: [511],
};
const MET_ENUMS = ['pressuretend', 'leveltrend', 'preciptype', 'ice'];

function dropWhen(e: Rec, key: string, value: unknown): void {
    if (e[key] === value) delete e[key];
}

/** "YYYY-MM-DDThh:mm:ssZ", "MM-DDThh:mmZ" or "DDThh:mmZ" → components, not-available ones left out. */
function dateParts(e: Rec, key: string, names: string[], na: number[]): void {
    const text = e[key] as string;
    const nums = text.match(/\d+/g)!.map(Number);
    expectWith(nums.length, `${key} ${text}`).toBe(names.length);
    let all = true;
    names.forEach((n, i) => {
        if (nums[i] === na[i]) all = false;
        else e[n] = nums[i];
    });
    if (!all) delete e[key];
}

/** gpsd scaled record (+ its unscaled twin) → what we should output; `allowed` collects our permitted extras. */
function expectedFromGpsd(js: Rec, ju: Rec, allowed: Set<string>): Rec {
    const e: Rec = { ...js };
    delete e.class;
    delete e.device;
    delete e.scaled;
    for (const k of Object.keys(e)) if (k.endsWith('_text')) delete e[k];
    const type = e.type as number;
    for (const k of OURS_EXTRA[type] ?? []) allowed.add(k);
    if ([1, 2, 3, 4, 9, 11, 18, 19, 21, 27].includes(type)) {
        dropWhen(e, 'lat', 91);
        dropWhen(e, 'lon', 181);
    }
    if ([1, 2, 3, 9, 18, 19, 21].includes(type)) dropWhen(e, 'second', 60);
    if ([1, 2, 3, 18, 19].includes(type)) {
        dropWhen(e, 'speed', 102.3);
        dropWhen(e, 'course', 360);
        dropWhen(e, 'heading', 511);
    }
    switch (type) {
        case 1:
        case 2:
        case 3: {
            const turn = e.turn as string;
            delete e.turn;
            if (turn === 'fastleft' || turn === 'fastright') e.turn_indicator = turn;
            else if (turn !== 'n/a' && turn !== 'nan') e.turn = Number(turn);
            break;
        }
        case 4:
        case 11:
            dateParts(
                e,
                'timestamp',
                ['year', 'month', 'day', 'hour', 'minute', 'second'],
                [0, 0, 0, 24, 60, 60],
            );
            break;
        case 5:
            dateParts(e, 'eta', ['month', 'day', 'hour', 'minute'], [0, 0, 24, 60]);
            break;
        case 6:
        case 8:
            if (type === 8 && e.dac === 1 && (e.fid === 31 || e.fid === 11)) {
                const na = e.fid === 31 ? MET_NA_31 : MET_NA_11;
                if (e.fid === 11 && (ju.lat === 0x7fffff || ju.lon === 0xffffff))
                    throw new Error('unexpected');
                dropWhen(e, 'lat', 91);
                dropWhen(e, 'lon', 181);
                dateParts(e, 'timestamp', ['day', 'hour', 'minute'], [0, 24, 60]);
                for (const [k, codes] of Object.entries(na)) {
                    if (codes.includes(ju[k] as number)) delete e[k];
                    else if (MET_ENUMS.includes(k)) e[k] = ju[k];
                }
            }
            // Every other application payload gpsd decodes in this file (type 6 DAC 1 FI 12, 14, 18, 30, 32;
            // DAC 235 FI 10; type 8 DAC 200 FI 10) is decoded here too and compared field by field.
            break;
        case 9:
            dropWhen(e, 'alt', 4095);
            dropWhen(e, 'speed', 1023);
            dropWhen(e, 'course', 360);
            break;
        case 17:
            dropWhen(e, 'lat', 91);
            dropWhen(e, 'lon', 181);
            break;
        case 22:
        case 23:
            for (const k of ['ne_lon', 'ne_lat', 'sw_lon', 'sw_lat'])
                if (typeof e[k] === 'string') e[k] = Number(e[k]);
            break;
        case 25:
        case 26:
            if (e.addressed === false) {
                expect(e.dest_mmsi).toBe(0);
                delete e.dest_mmsi;
            }
            if (e.structured === false) {
                expect(e.app_id).toBe(0);
                delete e.app_id;
            }
            if (type === 26) delete e.radio;
            break;
        case 27:
            dropWhen(e, 'speed', 63);
            dropWhen(e, 'course', 511);
            break;
    }
    return e;
}

/**
 * Our messages in gpsd's output order: type 24 parts are merged as gpsd does (a part B following an unmatched
 * part A of the same MMSI gives one record; a lone part A or B gives none).
 */
function asGpsdRecords(messages: AisMessage[]): AisMessage[] {
    const partA = new Map<number, AisMessage>();
    const out: AisMessage[] = [];
    for (const m of messages) {
        if (m.type !== 24) {
            out.push(m);
        } else if (m.partno === 0) {
            partA.set(m.mmsi, m);
        } else {
            const a = partA.get(m.mmsi);
            if (a !== undefined) {
                partA.delete(m.mmsi);
                out.push({ ...m, shipname: a.shipname });
            }
        }
    }
    return out;
}

describe('gpsd sample.aivdm (gpsdecode -j)', () => {
    const lines = fixtureLines('sample.aivdm').map((l) => l.replace(/\\x0d\\x0a$/, ''));
    const { events, stats } = decodeLines(lines);
    const js = jsonLines('sample.aivdm.js.chk');
    const ju = jsonLines('sample.aivdm.ju.chk');

    it("decodes every sentence; errors only for the file's deliberate invalid packet", () => {
        const errors = events.filter((e) => e.kind !== 'message');
        expect(errors.map((e) => (e.kind === 'error' ? `${e.reason} ${e.raw[0]}` : e.kind))).toEqual([
            'NMEA_MALFORMED AIVDM,2,2,1,B,00000000000,2*26',
        ]);
        expect(stats.fragmentsPending).toBe(0);
    });

    it('matches all 97 gpsd records field by field', () => {
        expect(js).toHaveLength(97);
        expect(ju).toHaveLength(97);
        const ours = asGpsdRecords(messagesOf(events));
        expect(ours).toHaveLength(97);
        const problems: string[] = [];
        js.forEach(({ line, rec }, i) => {
            const allowed = new Set<string>();
            const expected = expectedFromGpsd(rec, ju[i]!.rec, allowed);
            const mine = ours[i]! as Rec;
            for (const p of diff(mine, expected, (k) => printedTolerance(line, k), allowed)) {
                problems.push(`record ${i + 1} (type ${String(rec.type)}, mmsi ${String(rec.mmsi)}): ${p}`);
            }
        });
        expect(problems).toEqual([]);
    });

    it('emits both type 24 parts (gpsd merges them)', () => {
        const t24 = messagesOf(events).filter((m) => m.type === 24);
        expect(t24.map((m) => m.partno)).toEqual([0, 1, 1, 0, 0, 1, 1]);
    });
});

describe('gpsd ais-18-27.log (unscaled, types 18 and 27)', () => {
    const chk = fixtureLines('ais-18-27.log.chk');
    const input = chk.filter((l) => l.startsWith('!'));
    const expectedRecs = chk.filter((l) => l.startsWith('{')).map((l) => JSON.parse(l) as Rec);
    const { events } = decodeLines(input);

    it('uses the same input as ais-18-27.log', () => {
        expect(input).toEqual(fixtureLines('ais-18-27.log').filter((l) => l.startsWith('!')));
        // The file carries 69 type 24 sentences with part number 3 (reserved): gpsd rejects them, we report them
        // as unsupported; everything else decodes.
        const notMessages = events.filter((e) => e.kind !== 'message');
        expect(notMessages).toHaveLength(69);
        for (const e of notMessages) expect(e).toMatchObject({ kind: 'unsupported', type: 24 });
    });

    it('matches every type 18 and 27 record, with gpsd scale factors applied', () => {
        const ours = messagesOf(events).filter((m) => m.type === 18 || m.type === 27);
        const refs = expectedRecs.filter((r) => r.type === 18 || r.type === 27);
        expect(refs.length).toBeGreaterThan(50);
        expect(ours).toHaveLength(refs.length);
        const problems: string[] = [];
        refs.forEach((r, i) => {
            const e: Rec = { ...r };
            delete e.class;
            delete e.device;
            delete e.scaled;
            if (r.type === 18) {
                // unscaled: 1/10000 min, 1/10 knot, 1/10 degree
                if (r.lon === 108600000) delete e.lon;
                else e.lon = (r.lon as number) / 600000;
                if (r.lat === 54600000) delete e.lat;
                else e.lat = (r.lat as number) / 600000;
                if (r.speed === 1023) delete e.speed;
                else e.speed = (r.speed as number) / 10;
                if (r.course === 3600) delete e.course;
                else e.course = (r.course as number) / 10;
                dropWhen(e, 'heading', 511);
                dropWhen(e, 'second', 60);
            } else {
                // type 27: 1/10 min, knots, degrees
                for (const k of Object.keys(e)) if (k.endsWith('_text')) delete e[k];
                if (r.lon === 108600) delete e.lon;
                else e.lon = (r.lon as number) / 600;
                if (r.lat === 54600) delete e.lat;
                else e.lat = (r.lat as number) / 600;
                dropWhen(e, 'speed', 63);
                dropWhen(e, 'course', 511);
            }
            const allowed = new Set(OURS_EXTRA[r.type as number] ?? []);
            for (const p of diff(ours[i]!, e, () => 1e-9, allowed)) problems.push(`record ${i + 1}: ${p}`);
        });
        expect(problems).toEqual([]);
    });
});
