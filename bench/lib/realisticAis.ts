/**
 * A realistic, non-repeating AIS feed for the decode benchmark (bench/lib/dataset.ts `realistic`).
 *
 * The repeated sample file (421 lines x 2,376) flatters any decoder that caches: V8 keeps the strings of numbers
 * it has printed recently, and every coordinate of that file is printed 2,376 times. A real feed repeats almost
 * nothing: thousands of vessels, each position new. This file is built from two sources, interleaved:
 *
 * - Simulated traffic (about 90 % of the lines), encoded by the simulator's encoder (local/simulator/aisEncoder.ts):
 *   a seeded fleet of class A and class B vessels, each moving along its course between reports, in the mix a
 *   terrestrial feed carries (see `MIX`): class A positions (types 1, 3, 2), class B positions (18), static and
 *   voyage data (type 5, two sentences each), class B static data (type 24 parts A and B).
 * - The real sample lines (every line of the files in `REAL_FILES`, in order, as whole blocks, about 10 % of the
 *   lines): what the simulator does not send (base stations, type 6/8 application messages, safety text, aids to
 *   navigation, SAR aircraft, long range, multi-sentence messages from real transponders, NMEA 4 tag blocks,
 *   USCG receiver suffixes, a stray fragment). In each copy, every single-sentence message whose type has a
 *   position gets a new MMSI (same MID), a new position (a "not available" one stays so) and, where it has them,
 *   a new speed and course; the payload is re-armoured and the checksum recomputed, so no copy repeats a line.
 *
 * Deterministic for a given seed and size (the cache in bench/.data/ is keyed by both).
 */
import { readFileSync } from 'node:fs';

import { AisEncoder, type EncodableMessage } from '../../local/simulator/aisEncoder.js';
import { Prng } from '../../shared/domain/prng.js';

/** The real files under ../shared/testdata/ais whose lines are mixed in (comments and blank lines dropped). */
export const REAL_FILES = ['sample.aivdm', 'ais-18-27.log', 'typeexamples.nmea', 'tagblock.nmea'] as const;

/** Share of simulated messages by kind (weights; type 5 and type 24 A+B take two lines each). */
const MIX = [
    ['classA', 70],
    ['classB', 12],
    ['static5', 5],
    ['static24', 3],
] as const;
type Kind = (typeof MIX)[number][0];

/** Lines of real samples per line of the file (one whole block of them every so often). */
const REAL_SHARE = 0.1;

/** Common MIDs (flag states) of real traffic. */
const MIDS = [
    211, 219, 229, 230, 232, 235, 244, 245, 248, 249, 255, 256, 257, 265, 273, 303, 304, 305, 308, 311, 314,
    338, 351, 352, 353, 354, 355, 357, 366, 370, 371, 372, 412, 413, 414, 431, 440, 441, 477, 525, 533, 538,
    563, 564, 565, 566, 636, 667,
];

interface Vessel {
    mmsi: number;
    classB: boolean;
    lat: number;
    lon: number;
    /** Knots. */
    speed: number;
    /** Degrees. */
    course: number;
    status: number;
    headingKnown: boolean;
    name: string;
    callsign: string;
    destination: string;
    imo: number;
    shiptype: number;
    dims: [number, number, number, number];
    draught: number;
}

const LETTERS = 'ABCDEFGHIJKLMNOPQRSTUVWXYZ';
const WORDS = [
    'NORDIC',
    'STAR',
    'MAERSK',
    'EVER',
    'ATLANTIC',
    'PACIFIC',
    'SPIRIT',
    'GRACE',
    'OCEAN',
    'BALTIC',
    'EXPRESS',
    'PIONEER',
    'HOPE',
    'AURORA',
    'CAPE',
    'ISLAND',
    'VOYAGER',
    'HARMONY',
    'LADY',
    'KING',
];
const PORTS = [
    'ROTTERDAM',
    'HAMBURG',
    'SINGAPORE',
    'NLRTM',
    'DEHAM',
    'SGSIN',
    'ANTWERP',
    'FELIXSTOWE',
    'GOTHENBURG',
    'AARHUS',
    'NEW YORK',
    'HOUSTON',
    'SHANGHAI',
    'BUSAN',
    'PIRAEUS',
    'GDANSK',
    'FOR ORDERS',
    'LE HAVRE',
];

function word(p: Prng, n: number): string {
    let s = '';
    for (let i = 0; i < n; i++) s += LETTERS[p.int(0, 25)];
    return s;
}

function newVessel(p: Prng, classB: boolean): Vessel {
    const moored = p.chance(0.3);
    return {
        mmsi: p.pick(MIDS) * 1_000_000 + p.int(0, 999_999),
        classB,
        // Traffic is denser in the northern hemisphere; any position is valid.
        lat: p.range(-55, 72),
        lon: p.range(-180, 180),
        speed: moored ? p.range(0, 0.4) : p.range(2, classB ? 22 : 24),
        course: p.range(0, 360),
        status: moored
            ? p.pick([1, 5])
            : p.weighted([
                  [0, 85],
                  [8, 5],
                  [7, 5],
                  [15, 5],
              ] as const),
        headingKnown: !p.chance(0.1),
        name: `${p.pick(WORDS)} ${p.chance(0.5) ? p.pick(WORDS) : word(p, p.int(3, 7))}`,
        callsign: word(p, p.int(4, 7)),
        destination: p.pick(PORTS),
        imo: classB ? 0 : p.int(7_000_000, 9_999_999),
        shiptype: classB ? p.pick([36, 37, 30, 52]) : p.pick([70, 71, 79, 80, 81, 60, 69, 30, 52, 90]),
        dims: [p.int(5, 250), p.int(5, 80), p.int(2, 25), p.int(2, 25)],
        draught: p.range(0.5, 15),
    };
}

/** Moves `v` on by `seconds` along its course (a small random turn and speed change each time). */
function advance(p: Prng, v: Vessel, seconds: number): void {
    const nm = (v.speed * seconds) / 3600;
    const rad = (v.course * Math.PI) / 180;
    v.lat += (nm * Math.cos(rad)) / 60;
    v.lon += (nm * Math.sin(rad)) / 60 / Math.max(0.05, Math.cos((v.lat * Math.PI) / 180));
    if (v.lat > 84 || v.lat < -78) {
        v.lat = Math.max(-78, Math.min(84, v.lat));
        v.course = (v.course + 180) % 360;
    }
    if (v.lon >= 180) v.lon -= 360;
    if (v.lon < -180) v.lon += 360;
    v.course = (v.course + p.range(-3, 3) + 360) % 360;
    v.speed = Math.max(0, v.speed + p.range(-0.3, 0.3));
}

function messagesOf(p: Prng, v: Vessel, kind: Kind): EncodableMessage[] {
    const heading = v.headingKnown ? Math.round(v.course + p.range(-4, 4) + 360) % 360 : undefined;
    const second = p.int(0, 59);
    switch (kind) {
        case 'classA': {
            const turn = p.chance(0.4) ? undefined : p.range(-20, 20);
            return [
                {
                    type: p.weighted([
                        [1, 75],
                        [3, 20],
                        [2, 5],
                    ] as const),
                    mmsi: v.mmsi,
                    status: v.status,
                    ...(turn === undefined ? {} : { turn }),
                    speed: v.speed,
                    accuracy: p.chance(0.3),
                    lon: v.lon,
                    lat: v.lat,
                    course: v.course,
                    ...(heading === undefined ? {} : { heading }),
                    second,
                    raim: p.chance(0.2),
                    radio: p.int(0, (1 << 19) - 1),
                },
            ];
        }
        case 'classB':
            return [
                {
                    type: 18,
                    mmsi: v.mmsi,
                    speed: v.speed,
                    accuracy: p.chance(0.3),
                    lon: v.lon,
                    lat: v.lat,
                    course: v.course,
                    ...(heading === undefined ? {} : { heading }),
                    second,
                    raim: p.chance(0.2),
                    radio: p.int(0, (1 << 20) - 1),
                },
            ];
        case 'static5':
            return [
                {
                    type: 5,
                    mmsi: v.mmsi,
                    imo: v.imo,
                    callsign: v.callsign,
                    shipname: v.name,
                    shiptype: v.shiptype,
                    to_bow: v.dims[0],
                    to_stern: v.dims[1],
                    to_port: v.dims[2],
                    to_starboard: v.dims[3],
                    epfd: 1,
                    month: p.int(1, 12),
                    day: p.int(1, 28),
                    hour: p.int(0, 23),
                    minute: p.int(0, 59),
                    draught: v.draught,
                    destination: v.destination,
                },
            ];
        case 'static24':
            return [
                { type: 24, mmsi: v.mmsi, partno: 0, shipname: v.name },
                {
                    type: 24,
                    mmsi: v.mmsi,
                    partno: 1,
                    shiptype: v.shiptype,
                    vendorid: word(p, 3),
                    model: p.int(0, 15),
                    serial: p.int(0, (1 << 20) - 1),
                    callsign: v.callsign,
                    to_bow: v.dims[0] >> 3,
                    to_stern: v.dims[1] >> 2,
                    to_port: v.dims[2] >> 2,
                    to_starboard: v.dims[3] >> 2,
                },
            ];
    }
}

// ------------------------------------------------------------------------------------------ real lines

/** Where a position-carrying type keeps its fields: [lon bit, lon bits, lat bit, lat bits, divisor]. */
const POSITION_AT: Record<number, [number, number, number, number]> = {
    1: [61, 28, 89, 27],
    2: [61, 28, 89, 27],
    3: [61, 28, 89, 27],
    4: [79, 28, 107, 27],
    9: [61, 28, 89, 27],
    11: [79, 28, 107, 27],
    18: [57, 28, 85, 27],
    19: [57, 28, 85, 27],
    21: [164, 28, 192, 27],
    27: [44, 18, 62, 17],
};
/** Speed and course fields: [speed bit, speed bits, course bit, course bits, course not available]. */
const MOTION_AT: Record<number, [number, number, number, number, number]> = {
    1: [50, 10, 116, 12, 3600],
    2: [50, 10, 116, 12, 3600],
    3: [50, 10, 116, 12, 3600],
    18: [46, 10, 112, 12, 3600],
    19: [46, 10, 112, 12, 3600],
    27: [79, 6, 85, 9, 511],
};

function symbolsOf(payload: string): number[] {
    return Array.from(payload, (ch) => {
        const c = ch.charCodeAt(0) - 48;
        return c > 40 ? c - 8 : c;
    });
}

function armourOf(sym: number[]): string {
    return sym.map((v) => String.fromCharCode(v < 40 ? v + 48 : v + 56)).join('');
}

function getBits(sym: number[], start: number, len: number): number {
    let v = 0;
    for (let i = start; i < start + len; i++) v = v * 2 + ((sym[(i / 6) | 0]! >> (5 - (i % 6))) & 1);
    return v;
}

function setBits(sym: number[], start: number, len: number, value: number): void {
    const v = value < 0 ? value + 2 ** len : value;
    for (let i = 0; i < len; i++) {
        const b = Math.floor(v / 2 ** (len - 1 - i)) % 2;
        const at = start + i;
        const idx = (at / 6) | 0;
        const shift = 5 - (at % 6);
        sym[idx] = (sym[idx]! & ~(1 << shift)) | (b << shift);
    }
}

function checksum(body: string): string {
    let sum = 0;
    for (let i = 0; i < body.length; i++) sum ^= body.charCodeAt(i);
    return sum.toString(16).toUpperCase().padStart(2, '0');
}

/**
 * `line` with a new MMSI, position, speed and course when it is a single-sentence message of a type with a
 * position (else unchanged). Tag block and receiver suffix stay as they are; the sentence checksum is
 * recomputed.
 */
export function varyRealLine(p: Prng, line: string): string {
    const bang = line.search(/[!$][A-Z]{2}VD[MO],1,1,/);
    if (bang < 0) return line;
    const star = line.indexOf('*', bang);
    if (star < 0) return line;
    const fields = line.slice(bang + 1, star).split(',');
    const payload = fields[5] ?? '';
    if (!/^[0-W`-w]+$/.test(payload)) return line;
    const sym = symbolsOf(payload);
    const bitlen = sym.length * 6 - (Number(fields[6]) || 0);
    const type = sym[0]!;
    const at = POSITION_AT[type];
    if (at === undefined || bitlen < at[2] + at[3]) return line;
    const [lonAt, lonBits, latAt, latBits] = at;
    const per = lonBits === 28 ? 600_000 : 600;
    const lonNa = 181 * per;
    const latNa = 91 * per;
    const signed = (v: number, len: number): number => (v >= 2 ** (len - 1) ? v - 2 ** len : v);
    const mmsi = getBits(sym, 8, 30);
    const mid = mmsi >= 100_000_000 ? Math.floor(mmsi / 1_000_000) : p.pick(MIDS);
    setBits(sym, 8, 30, mid * 1_000_000 + p.int(0, 999_999));
    if (signed(getBits(sym, lonAt, lonBits), lonBits) !== lonNa)
        setBits(sym, lonAt, lonBits, Math.round(p.range(-180, 180) * per));
    if (signed(getBits(sym, latAt, latBits), latBits) !== latNa)
        setBits(sym, latAt, latBits, Math.round(p.range(-80, 85) * per));
    const motion = MOTION_AT[type];
    if (motion !== undefined && bitlen >= motion[2] + motion[3]) {
        const [speedAt, speedBits, courseAt, courseBits, courseNa] = motion;
        const speedNa = 2 ** speedBits - 1;
        if (getBits(sym, speedAt, speedBits) !== speedNa)
            setBits(sym, speedAt, speedBits, p.int(0, Math.min(speedNa - 1, 250)));
        if (getBits(sym, courseAt, courseBits) !== courseNa)
            setBits(sym, courseAt, courseBits, p.int(0, courseNa - 1));
    }
    fields[5] = armourOf(sym);
    const body = fields.join(',');
    return `${line.slice(0, bang + 1)}${body}*${checksum(body)}${line.slice(star + 3)}`;
}

/** The real sample lines: every non-blank, non-comment line of `REAL_FILES`, in order. */
export function realLines(dataDir: string): string[] {
    const out: string[] = [];
    for (const f of REAL_FILES) {
        for (const raw of readFileSync(`${dataDir}/${f}`, 'utf8').split('\n')) {
            const line = raw.replace(/\r$/, '');
            if (line.trim().length === 0 || line.trimStart().startsWith('#')) continue;
            out.push(line);
        }
    }
    return out;
}

export interface RealisticFeed {
    text: string;
    lines: number;
    simulatedLines: number;
    realLines: number;
    realBlocks: number;
    vessels: number;
    byKind: Record<Kind, number>;
}

/** At least `minLines` lines of the realistic feed (see the module comment), seeded. */
export function realisticFeed(dataDir: string, minLines: number, seed = 9): RealisticFeed {
    const p = new Prng(seed);
    const real = realLines(dataDir);
    // One vessel per ~100 lines: each reports ~100 times, like an hour of a busy coastal receiver.
    const vesselCount = Math.max(100, Math.round(minLines / 100));
    const fleet = Array.from({ length: vesselCount }, (_, i) => newVessel(p, i % 6 === 5));
    const enc = new AisEncoder();
    const out: string[] = [];
    const byKind: Record<Kind, number> = { classA: 0, classB: 0, static5: 0, static24: 0 };
    const realEvery = Math.round(real.length / REAL_SHARE);
    let sinceReal = 0;
    let simulatedLines = 0;
    let realBlocks = 0;
    while (out.length < minLines) {
        if (sinceReal >= realEvery - real.length) {
            for (const line of real) out.push(varyRealLine(p, line));
            realBlocks++;
            sinceReal = 0;
            continue;
        }
        const v = fleet[p.int(0, fleet.length - 1)]!;
        let kind = p.weighted(MIX);
        if (v.classB && (kind === 'classA' || kind === 'static5'))
            kind = kind === 'classA' ? 'classB' : 'static24';
        if (!v.classB && (kind === 'classB' || kind === 'static24'))
            kind = kind === 'classB' ? 'classA' : 'static5';
        advance(p, v, p.int(2, 30));
        for (const m of messagesOf(p, v, kind)) {
            const lines = enc.encode(m, {
                channel: p.chance(0.5) ? 'A' : 'B',
                pad: p.chance(0.5) ? '@' : ' ',
            });
            for (const l of lines) out.push(l);
            simulatedLines += lines.length;
            sinceReal += lines.length;
        }
        byKind[kind]++;
    }
    return {
        text: out.join('\n') + '\n',
        lines: out.length,
        simulatedLines,
        realLines: out.length - simulatedLines,
        realBlocks,
        vessels: vesselCount,
        byKind,
    };
}
