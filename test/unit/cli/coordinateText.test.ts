/**
 * The exact coordinate writer (cli/decode/coordinateText.ts) writes the bytes of `'' + raw / 600000` from the
 * integer: compared here with V8's own text on the edges and on random values of every magnitude. (Every raw
 * value of the 28-bit field is compared by `npm run bench:coordinates`: minutes.)
 */
import { describe, expect, it } from '@jest/globals';

import { MAX_RAW, writeDegrees600k } from '../../../cli/decode/coordinateText.js';
import { Prng } from '../../../shared/domain/prng.js';

const buf = new Uint8Array(64);

function written(raw: number): string {
    const end = writeDegrees600k(buf, 3, raw);
    return Buffer.from(buf.subarray(3, end)).toString('latin1');
}

/** The raw values among `raws` whose text differs from V8's, with both texts. */
function differences(raws: Iterable<number>): { raw: number; wrote: string; v8: string }[] {
    const out: { raw: number; wrote: string; v8: string }[] = [];
    for (const raw of raws) {
        const v8 = '' + raw / 600000;
        const wrote = written(raw);
        if (wrote !== v8 && out.length < 10) out.push({ raw, wrote, v8 });
    }
    return out;
}

function* range(from: number, to: number): Generator<number> {
    for (let r = from; r <= to; r++) yield r;
}

describe("writeDegrees600k = '' + raw / 600000", () => {
    it('writes the texts V8 writes for known values', () => {
        expect(written(0)).toBe('0');
        expect(written(1)).toBe('0.0000016666666666666667');
        expect(written(-1)).toBe('-0.0000016666666666666667');
        expect(written(3)).toBe('0.000005');
        expect(written(600000)).toBe('1');
        expect(written(181 * 600000)).toBe('181');
        expect(written(-91 * 600000)).toBe('-91');
        expect(written(-23123772)).toBe('-38.53962');
        expect(written(2847550)).toBe('4.745916666666667');
        expect(written(8069702)).toBe('13.449503333333332');
    });

    it('around zero, every whole degree and the field edges', () => {
        expect(differences(range(-100_000, 100_000))).toEqual([]);
        const edges: number[] = [];
        for (let deg = -224; deg <= 224; deg++) for (let k = -50; k <= 50; k++) edges.push(deg * 600000 + k);
        for (let k = 0; k < 2000; k++) edges.push(MAX_RAW - k, -MAX_RAW + k, MAX_RAW + k, -MAX_RAW - k);
        expect(differences(edges)).toEqual([]);
    });

    it('random positions, random 28-bit values and values just under powers of ten', () => {
        const p = new Prng(20261203);
        const raws: number[] = [];
        for (let i = 0; i < 100_000; i++) raws.push(Math.round(p.range(-180, 180) * 600000));
        for (let i = 0; i < 100_000; i++) raws.push(p.int(-MAX_RAW, MAX_RAW - 1));
        // Magnitudes below one degree, where the 16-digit candidates reach 2^53 (0.9007...).
        for (let i = 0; i < 60_000; i++) raws.push(p.int(-600_000, 600_000));
        for (const decade of [60, 600, 6000, 60000, 600000, 6000000, 60000000])
            for (let k = -3000; k <= 3000; k++) raws.push(decade + k, -decade - k);
        expect(differences(raws)).toEqual([]);
    });
});
