/**
 * The direct writer (cli/decode/gpsdDirect.ts) writes a message's gpsd JSON straight from the payload bits. The
 * oracle is the object path: `decodePayload` (the domain decoder) serialised by `ByteLines.gpsdLine`. Both are
 * run on every message of the real test files and on random payloads of every message type and many lengths,
 * with sentinel-heavy bits; the bytes must be equal, and where the direct writer declines it must write nothing.
 */
import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';

import { describe, expect, it } from '@jest/globals';

import { ByteLines } from '../../cli/decode/byteLines.js';
import { writeGpsdDirect } from '../../cli/decode/gpsdDirect.js';
import { NmeaChunkDecoder } from '../../cli/decode/nmeaChunk.js';
import { decodePayload } from '../../shared/domain/ais/messages.js';
import { dearmour, ZERO_TAIL } from '../../shared/domain/ais/sixbit.js';
import { Prng } from '../../shared/domain/prng.js';
import { dmaFeed, satelliteFeed, uscgFeed } from '../helpers/feedShapes.js';

const DATA = fileURLToPath(new URL('../../../shared/testdata/ais/', import.meta.url));

/** Types the direct writer covers (for any payload decodePayload accepts, except the 6/8 applications below). */
const COVERED = [
    1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12, 13, 14, 15, 16, 17, 18, 19, 20, 21, 22, 23, 24, 25, 26, 27,
];

interface Compared {
    direct: boolean;
    oracle: string | undefined;
    written: string;
}

function compare(sym: Uint8Array, bitlen: number, receiverTime?: number): Compared {
    const d = new ByteLines(1024);
    const direct = writeGpsdDirect(
        d,
        sym,
        bitlen,
        receiverTime,
        receiverTime === undefined ? undefined : 'suffix',
    );
    const written = d.take().toString('utf8');
    const m = decodePayload(sym, bitlen);
    let oracle: string | undefined;
    if (typeof m !== 'number') {
        const o = new ByteLines(1024);
        o.gpsdLine(m, undefined, receiverTime, receiverTime === undefined ? undefined : 'suffix');
        oracle = o.take().toString('utf8');
    }
    return { direct, oracle, written };
}

/** The 6/8 messages left to the object path: application messages messages.ts may decode field by field. */
function isApplication(sym: Uint8Array): boolean {
    const bits = (at: number, n: number): number => {
        let v = 0;
        for (let i = 0; i < n; i++)
            v = v * 2 + (((sym[((at + i) / 6) | 0] as number) >> (5 - ((at + i) % 6))) & 1);
        return v;
    };
    if (sym[0] === 6) {
        const dac = bits(72, 10);
        const fid = bits(82, 6);
        return (
            ((dac === 235 || dac === 250) && fid === 10) || (dac === 1 && [12, 14, 18, 30, 32].includes(fid))
        );
    }
    if (sym[0] === 8) {
        const dac = bits(40, 10);
        const fid = bits(50, 6);
        return (dac === 1 && (fid === 31 || fid === 11)) || (dac === 200 && fid === 10);
    }
    return false;
}

function check(sym: Uint8Array, bitlen: number, label: string, receiverTime?: number): boolean {
    const r = compare(sym, bitlen, receiverTime);
    if (r.direct) {
        expect({ label, line: r.written }).toEqual({ label, line: r.oracle });
    } else {
        expect({ label, written: r.written }).toEqual({ label, written: '' });
        // Declined: decodePayload rejects it too, or it is an application message (or not a covered type).
        const covered = COVERED.includes(sym[0] as number) && !isApplication(sym);
        if (covered && bitlen >= 38)
            expect({ label, oracle: r.oracle }).toEqual({ label, oracle: undefined });
    }
    return r.direct;
}

/** Payloads (joined over fragments) with the fill bits of the last fragment, from NMEA lines. */
function payloads(lines: string[]): { payload: string; fill: number }[] {
    const out: { payload: string; fill: number }[] = [];
    const parts = new Map<string, string[]>();
    for (const line of lines) {
        const i = line.indexOf('!');
        if (i < 0) continue;
        const star = line.indexOf('*', i);
        const f = line.slice(i, star < 0 ? undefined : star).split(',');
        if (f.length !== 7) continue;
        const total = Number(f[1]);
        const num = Number(f[2]);
        const key = (f[3] ?? '') + (f[4] ?? '') + total;
        const fill = Number(f[6]) || 0;
        if (total === 1) out.push({ payload: f[5]!, fill });
        else if (num === 1) parts.set(key, [f[5]!]);
        else {
            const p = parts.get(key);
            if (p === undefined) continue;
            p.push(f[5]!);
            if (num === total) {
                out.push({ payload: p.join(''), fill });
                parts.delete(key);
            }
        }
    }
    return out;
}

function symbols(payload: string): { sym: Uint8Array; n: number } | undefined {
    const sym = new Uint8Array(payload.length + ZERO_TAIL);
    const n = dearmour(payload, 0, payload.length, sym, 0);
    return n < 0 ? undefined : { sym, n };
}

describe('direct gpsd JSON writer = decodePayload + gpsdLine', () => {
    const files = ['sample.aivdm', 'ais-18-27.log', 'typeexamples.nmea', 'tagblock.nmea'];
    for (const f of files) {
        it(`every message of ${f}`, () => {
            const lines = readFileSync(DATA + f, 'utf8').split('\n');
            let direct = 0;
            let n = 0;
            for (const p of payloads(lines)) {
                const s = symbols(p.payload);
                if (s === undefined) continue;
                n++;
                if (check(s.sym, 6 * s.n - p.fill, `${f}: ${p.payload}`)) direct++;
                check(
                    s.sym,
                    6 * s.n - p.fill,
                    `${f} with receiver time: ${p.payload}`,
                    1325394060_000 + n * 1001,
                );
            }
            expect(n).toBeGreaterThan(0);
            expect(direct).toBeGreaterThan(0);
        });
    }

    it('every message of the feed shapes (satellite, USCG, DMA)', () => {
        for (const p of payloads([...satelliteFeed(), ...uscgFeed(), ...dmaFeed()])) {
            const s = symbols(p.payload)!;
            expect(check(s.sym, 6 * s.n - p.fill, p.payload)).toBe(true);
        }
    });

    it('covers every message type of the real files that is not an application message', () => {
        const seen = new Set<number>();
        for (const f of files) {
            for (const p of payloads(readFileSync(DATA + f, 'utf8').split('\n'))) {
                const s = symbols(p.payload);
                if (s === undefined) continue;
                if (compare(s.sym, 6 * s.n - p.fill).direct) seen.add(s.sym[0] as number);
            }
        }
        // Types 1-27 all occur in the real files; the direct writer handles each of them at least once.
        expect([...seen].sort((a, b) => a - b)).toEqual(COVERED);
    });

    it('random payloads of every type 0..63, lengths 0..1100 bits, sentinel-heavy bits, with and without receiver time', () => {
        const random = Prng.fn(20261203);
        const sym = new Uint8Array(200 + ZERO_TAIL);
        const edges = [
            0, 37, 38, 39, 40, 56, 59, 60, 72, 80, 88, 90, 91, 96, 110, 111, 136, 143, 144, 149, 160, 162,
            163, 167, 168, 169, 272, 273, 278, 311, 312, 346, 350, 419, 420, 422, 423, 424,
        ];
        let directCount = 0;
        let cases = 0;
        for (let type = 0; type < 64; type++) {
            const lengths = [...edges, ...Array.from({ length: 24 }, () => Math.floor(random() * 1100))];
            for (const bitlen of lengths) {
                for (let rep = 0; rep < 6; rep++) {
                    const n = Math.ceil(bitlen / 6);
                    for (let i = 0; i < n; i++) {
                        const r = random();
                        // A third all ones or all zeros: "not available" codes, empty strings, `@` and spaces.
                        sym[i] = r < 0.15 ? 63 : r < 0.3 ? 0 : r < 0.35 ? 32 : Math.floor(random() * 64);
                    }
                    sym[0] = type;
                    // Type 24 part B of an auxiliary craft (MMSI 98XXXYYYY) now and then.
                    if (type === 24 && rep === 5 && n >= 7) {
                        const mmsi = 980000000 + Math.floor(random() * 9999999);
                        for (let b = 0; b < 30; b++) {
                            const bitAt = 8 + b;
                            const idx = (bitAt / 6) | 0;
                            const mask = 1 << (5 - (bitAt % 6));
                            const v = (mmsi >>> (29 - b)) & 1;
                            sym[idx] = v ? (sym[idx] as number) | mask : (sym[idx] as number) & ~mask;
                        }
                    }
                    // The fill bits may leave up to 5 of the last symbol's bits unused.
                    sym.fill(0, n, n + ZERO_TAIL);
                    const rt = rep % 2 === 0 ? undefined : 1_600_000_000_000 + Math.floor(random() * 1e11);
                    cases++;
                    if (check(sym, bitlen, `type ${type}, ${bitlen} bits, case ${rep}`, rt)) directCount++;
                }
            }
        }
        expect(cases).toBeGreaterThan(20_000);
        expect(directCount).toBeGreaterThan(5_000);
    });

    it('writes receiver times as Date.toISOString does, 1970 to 9999 and outside', () => {
        const random = Prng.fn(7);
        const times = [
            0, 951782400000, 951868800000, 4107542400000, 253402300799999, 253402300800000, -1, 1.5, 1e15,
        ];
        for (let i = 0; i < 20_000; i++) times.push(Math.floor(random() * 253402300800000));
        for (const t of times) {
            const o = new ByteLines(64);
            o.isoTime(t);
            expect({ t, iso: o.take().toString('utf8') }).toEqual({
                t,
                iso: JSON.stringify(new Date(t).toISOString()),
            });
        }
    });

    it('decodes each line of a chunk as alone: an earlier longer payload leaves nothing in the zero tail', () => {
        // NmeaChunkDecoder clears the zero tail after a payload only where earlier payloads left symbols: each
        // payload of the real files, cut by 0 to 8 symbols (messages shorter than their type's length read bits
        // past their end, as zeros), after a longer payload of all ones, decoded or rejected.
        const nmea = (payload: string): string => {
            const body = `AIVDM,1,1,,A,${payload},0`;
            let sum = 0;
            for (let i = 0; i < body.length; i++) sum ^= body.charCodeAt(i);
            return `!${body}*${sum.toString(16).toUpperCase().padStart(2, '0')}`;
        };
        const decode = (lines: string[]): string => {
            const bytes = Buffer.from(lines.join('\n') + '\n');
            const out = new ByteLines(1 << 16);
            new NmeaChunkDecoder({ records: false, errors: false }).lines(bytes, 0, bytes.length, out, true);
            return out.take().toString('utf8');
        };
        let cases = 0;
        let written = 0;
        for (const f of ['sample.aivdm', 'ais-18-27.log', 'typeexamples.nmea']) {
            for (const { payload } of payloads(readFileSync(DATA + f, 'utf8').split('\n'))) {
                if (payload.length > 160) continue;
                for (let cut = 0; cut <= 8 && cut < payload.length; cut++) {
                    const p = payload.slice(0, payload.length - cut);
                    const ones = nmea('w'.repeat(p.length + 50));
                    // (a line rejected after its payload was read: a wrong checksum)
                    const rejected = ones.slice(0, -2) + (ones.endsWith('00') ? '11' : '00');
                    // (a leading space: the lines go through AisDecoder.push instead of the fast path)
                    for (const lead of ['', ' ']) {
                        const lines = [ones, nmea(p), rejected, nmea(p.slice(0, -1) || p)].map(
                            (x) => lead + x,
                        );
                        const alone = lines.map((x) => decode([x])).join('');
                        const together = decode(lines);
                        expect({ lines, out: together }).toEqual({ lines, out: alone });
                        cases++;
                        if (together.length > 0) written++;
                    }
                }
            }
        }
        expect(cases).toBeGreaterThan(500);
        expect(written).toBeGreaterThan(100);
    });
});
