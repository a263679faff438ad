/**
 * Encodes AIS messages as NMEA 0183 `!AIVDM` sentences (ITU-R M.1371-5 bit layouts): 6-bit armouring, fill
 * bits, checksums, multi-sentence splitting (60 payload characters per sentence, sequence ids 0-9) and an
 * optional NMEA 4 tag block. Field names and units follow gpsd's JSON (as the decoder in
 * `shared/domain/ais/` does): degrees, knots, metres; a field left out is sent as "not available".
 */
import { nmeaChecksum } from '../sources/nmea.js';

interface Common {
    repeat?: number;
    mmsi: number;
}

/** Types 1, 2, 3: Class A position report. */
export interface PositionReportA extends Common {
    type: 1 | 2 | 3;
    /** Navigational status 0..15 (default 15, not defined). */
    status?: number;
    /**
     * Rate of turn as gpsd gives it: degrees/minute (sign = direction, sent as 4.733·√|turn|), or
     * `'fastleft'`/`'fastright'` (more than 5°/30 s, no turn indicator). Left out = not available.
     */
    turn?: number | 'fastleft' | 'fastright';
    /** The decoder's form of raw ±127 (`turn` is then left out); wins over `turn`. */
    turn_indicator?: 'fastleft' | 'fastright';
    /** Raw ROT field −128..127; wins over both (for exact re-encoding). */
    turnRaw?: number;
    /** Knots (0.1 kn resolution, ≥102.2 sent as 102.2). */
    speed?: number;
    accuracy?: boolean;
    lon?: number;
    lat?: number;
    /** Degrees 0..359.9. */
    course?: number;
    /** Degrees 0..359. */
    heading?: number;
    /** UTC second of the fix 0..59 (default 60, not available). */
    second?: number;
    maneuver?: number;
    raim?: boolean;
    /** Radio status, 19 bits. */
    radio?: number;
}

/** Type 5: static and voyage related data (424 bits, two sentences). */
export interface StaticVoyageA extends Common {
    type: 5;
    ais_version?: number;
    imo?: number;
    callsign?: string;
    shipname?: string;
    shiptype?: number;
    to_bow?: number;
    to_stern?: number;
    to_port?: number;
    to_starboard?: number;
    epfd?: number;
    /** ETA month 1..12 (0 = n/a), day 1..31 (0), hour 0..23 (24), minute 0..59 (60). */
    month?: number;
    day?: number;
    hour?: number;
    minute?: number;
    /** Metres, 0.1 m resolution. */
    draught?: number;
    destination?: string;
    /** Data terminal equipment not ready (default false = ready). */
    dte?: boolean | number;
}

/** Type 18: standard Class B position report. */
export interface PositionReportB extends Common {
    type: 18;
    reserved?: number;
    speed?: number;
    accuracy?: boolean;
    lon?: number;
    lat?: number;
    course?: number;
    heading?: number;
    second?: number;
    regional?: number;
    cs?: boolean;
    display?: boolean;
    dsc?: boolean;
    band?: boolean;
    msg22?: boolean;
    assigned?: boolean;
    raim?: boolean;
    /** Radio status, 20 bits. */
    radio?: number;
}

/** Type 24 part A: Class B static data, name. */
export interface StaticPartA extends Common {
    type: 24;
    partno: 0;
    shipname?: string;
}

/** Type 24 part B: Class B static data, type, vendor, call sign, dimensions. */
export interface StaticPartB extends Common {
    type: 24;
    partno: 1;
    shiptype?: number;
    /** 3-character manufacturer id (with `model` and `serial`), or the older 7-character vendor id. */
    vendorid?: string;
    model?: number;
    serial?: number;
    callsign?: string;
    to_bow?: number;
    to_stern?: number;
    to_port?: number;
    to_starboard?: number;
    /** Auxiliary craft (MMSI 98MIDxxxx): the mother ship, sent instead of the dimensions. */
    mothership_mmsi?: number;
}

export type EncodableMessage = PositionReportA | StaticVoyageA | PositionReportB | StaticPartA | StaticPartB;

/**
 * Builds a bit string MSB first. Hot path of the simulator (every simulated message): bits go into a reused
 * byte array with shifts, not a growing number[] with divisions (the simulator spent most of its time here).
 */
export class BitWriter {
    #bits = new Uint8Array(512);
    #length = 0;

    /** @param pad text padding character, `@` (ITU) or space */
    constructor(private readonly pad: '@' | ' ' = '@') {}

    /** Appends `width` bits of the unsigned or two's-complement value (width ≤ 32). */
    uint(value: number, width: number): this {
        const v = Math.trunc(value);
        if (this.#length + width > this.#bits.length) {
            const grown = new Uint8Array(this.#bits.length * 2 + width);
            grown.set(this.#bits);
            this.#bits = grown;
        }
        // `>>>` takes the low 32 bits as two's complement, as `Math.floor(v / 2 ** i) & 1` did for |v| < 2^32.
        for (let i = width - 1; i >= 0; i--) this.#bits[this.#length++] = (v >>> i) & 1;
        return this;
    }

    int(value: number, width: number): this {
        const v = Math.trunc(value);
        return this.uint(v < 0 ? v + 2 ** width : v, width);
    }

    bool(value: boolean | number | undefined): this {
        return this.uint(value ? 1 : 0, 1);
    }

    /** AIS 6-bit text, upper-cased, padded with `@` or spaces (or cut) to `chars` characters. */
    text(value: string | undefined, chars: number): this {
        const s = (value ?? '').toUpperCase();
        const padCode = this.pad.charCodeAt(0);
        for (let i = 0; i < chars; i++) {
            const code = i < s.length ? s.charCodeAt(i) : padCode;
            let v: number;
            if (code >= 64 && code <= 95) v = code - 64;
            else if (code >= 32 && code <= 63) v = code;
            else v = 32; // not representable: a space
            this.uint(v, 6);
        }
        return this;
    }

    get length(): number {
        return this.#length;
    }

    /** Armoured payload and the number of fill bits. */
    armour(): { payload: string; fillBits: number } {
        const n = this.#length;
        const fillBits = (6 - (n % 6)) % 6;
        const bits = this.#bits;
        let payload = '';
        for (let i = 0; i < n + fillBits; i += 6) {
            let v = 0;
            for (let j = i; j < i + 6; j++) v = v * 2 + (j < n ? (bits[j] as number) : 0);
            payload += String.fromCharCode(v < 40 ? v + 48 : v + 56);
        }
        return { payload, fillBits };
    }
}

const clamp = (v: number, lo: number, hi: number): number => Math.min(hi, Math.max(lo, v));

function speedRaw(knots: number | undefined): number {
    return knots === undefined ? 1023 : clamp(Math.round(knots * 10), 0, 1022);
}
function lonRaw(lon: number | undefined): number {
    return lon === undefined ? 181 * 600000 : clamp(Math.round(lon * 600000), -180 * 600000, 180 * 600000);
}
function latRaw(lat: number | undefined): number {
    return lat === undefined ? 91 * 600000 : clamp(Math.round(lat * 600000), -90 * 600000, 90 * 600000);
}
function courseRaw(course: number | undefined): number {
    return course === undefined ? 3600 : Math.round(course * 10) % 3600;
}
function headingRaw(heading: number | undefined): number {
    return heading === undefined ? 511 : Math.round(heading) % 360;
}
function turnRaw(m: PositionReportA): number {
    if (m.turnRaw !== undefined) return clamp(Math.round(m.turnRaw), -128, 127);
    if (m.turn_indicator === 'fastleft') return -127;
    if (m.turn_indicator === 'fastright') return 127;
    if (m.turn === undefined) return -128;
    if (m.turn === 'fastleft') return -127;
    if (m.turn === 'fastright') return 127;
    const raw = Math.round(4.733 * Math.sqrt(Math.abs(m.turn)));
    return Math.sign(m.turn) * Math.min(raw, 126);
}

/** The bit layout of one message. */
export function messageBits(m: EncodableMessage, pad: '@' | ' ' = '@'): BitWriter {
    const w = new BitWriter(pad)
        .uint(m.type, 6)
        .uint(m.repeat ?? 0, 2)
        .uint(m.mmsi, 30);
    switch (m.type) {
        case 1:
        case 2:
        case 3:
            return w
                .uint(m.status ?? 15, 4)
                .int(turnRaw(m), 8)
                .uint(speedRaw(m.speed), 10)
                .bool(m.accuracy)
                .int(lonRaw(m.lon), 28)
                .int(latRaw(m.lat), 27)
                .uint(courseRaw(m.course), 12)
                .uint(headingRaw(m.heading), 9)
                .uint(m.second ?? 60, 6)
                .uint(m.maneuver ?? 0, 2)
                .uint(0, 3)
                .bool(m.raim)
                .uint(m.radio ?? 0, 19);
        case 5:
            return w
                .uint(m.ais_version ?? 0, 2)
                .uint(m.imo ?? 0, 30)
                .text(m.callsign, 7)
                .text(m.shipname, 20)
                .uint(m.shiptype ?? 0, 8)
                .uint(m.to_bow ?? 0, 9)
                .uint(m.to_stern ?? 0, 9)
                .uint(m.to_port ?? 0, 6)
                .uint(m.to_starboard ?? 0, 6)
                .uint(m.epfd ?? 0, 4)
                .uint(m.month ?? 0, 4)
                .uint(m.day ?? 0, 5)
                .uint(m.hour ?? 24, 5)
                .uint(m.minute ?? 60, 6)
                .uint(m.draught === undefined ? 0 : clamp(Math.round(m.draught * 10), 0, 255), 8)
                .text(m.destination, 20)
                .bool(m.dte)
                .uint(0, 1);
        case 18:
            return w
                .uint(m.reserved ?? 0, 8)
                .uint(speedRaw(m.speed), 10)
                .bool(m.accuracy)
                .int(lonRaw(m.lon), 28)
                .int(latRaw(m.lat), 27)
                .uint(courseRaw(m.course), 12)
                .uint(headingRaw(m.heading), 9)
                .uint(m.second ?? 60, 6)
                .uint(m.regional ?? 0, 2)
                .bool(m.cs ?? true)
                .bool(m.display)
                .bool(m.dsc)
                .bool(m.band ?? true)
                .bool(m.msg22 ?? true)
                .bool(m.assigned)
                .bool(m.raim)
                .uint(m.radio ?? ((m.cs ?? true) ? 0b11100000000000000110 : 0), 20);
        case 24:
            w.uint(m.partno, 2);
            if (m.partno === 0) return w.text(m.shipname, 20).uint(0, 8);
            w.uint(m.shiptype ?? 0, 8);
            if (m.vendorid !== undefined && m.vendorid.length > 3) w.text(m.vendorid, 7);
            else
                w.text(m.vendorid, 3)
                    .uint(m.model ?? 0, 4)
                    .uint(m.serial ?? 0, 20);
            w.text(m.callsign, 7);
            if (m.mothership_mmsi !== undefined) w.uint(m.mothership_mmsi, 30);
            else {
                w.uint(m.to_bow ?? 0, 9)
                    .uint(m.to_stern ?? 0, 9)
                    .uint(m.to_port ?? 0, 6)
                    .uint(m.to_starboard ?? 0, 6);
            }
            return w.uint(0, 6);
    }
}

/** NMEA 4 tag block `\s:<station>,c:<epoch seconds>*hh\`. */
export function tagBlock(fields: { station?: string; time?: number; group?: string }): string {
    const parts: string[] = [];
    if (fields.group !== undefined) parts.push(`g:${fields.group}`);
    if (fields.station !== undefined) parts.push(`s:${fields.station}`);
    if (fields.time !== undefined) parts.push(`c:${Math.floor(fields.time / 1000)}`);
    const body = parts.join(',');
    return `\\${body}*${nmeaChecksum(body)}\\`;
}

/** `!AIVDM` sentences for one armoured payload. */
export function toSentences(
    payload: string,
    fillBits: number,
    options: { channel?: string; seqId?: number; talker?: string; maxChars?: number } = {},
): string[] {
    const max = options.maxChars ?? 60;
    const chunks: string[] = [];
    for (let i = 0; i < payload.length; i += max) chunks.push(payload.slice(i, i + max));
    if (chunks.length === 0) chunks.push('');
    const seq = chunks.length > 1 ? String((options.seqId ?? 0) % 10) : '';
    const talker = options.talker ?? 'AIVDM';
    return chunks.map((chunk, i) => {
        const fill = i === chunks.length - 1 ? fillBits : 0;
        const body = `${talker},${chunks.length},${i + 1},${seq},${options.channel ?? 'A'},${chunk},${fill}`;
        return `!${body}*${nmeaChecksum(body)}`;
    });
}

export interface EncodeOptions {
    /** Radio channel `A` or `B` (default `A`). */
    channel?: string;
    /**
     * Put an NMEA 4 tag block with this station (`s:`) and time (`c:`, epoch ms) on every sentence; a
     * multi-sentence message also gets a `g:` group (sentence-groupsize-id), as real tag-block feeds do.
     */
    tagBlock?: { station?: string; time?: number };
    /** Text padding: `@` (ITU-R M.1371, default) or space (what many transponders send). */
    pad?: '@' | ' ';
}

/**
 * Stateful encoder: multi-sentence messages take sequence ids 0, 1, ... 9, 0, ... in turn.
 *
 * @example
 * const enc = new AisEncoder();
 * enc.encode({ type: 1, mmsi: 244123456, lat: 52.1, lon: 4.2, speed: 12.3 }); // ['!AIVDM,1,1,,A,...*hh']
 */
export class AisEncoder {
    #seq = 0;
    #group = 0;

    /** The sentences of one message, in order. */
    encode(message: EncodableMessage, options: EncodeOptions = {}): string[] {
        const { payload, fillBits } = messageBits(message, options.pad).armour();
        const multi = payload.length > 60;
        const sentences = toSentences(payload, fillBits, {
            channel: options.channel ?? 'A',
            seqId: multi ? this.#seq : undefined,
        });
        if (multi) this.#seq = (this.#seq + 1) % 10;
        const tb = options.tagBlock;
        if (!tb) return sentences;
        if (!multi) return [tagBlock(tb) + sentences[0]!];
        this.#group = (this.#group % 9999) + 1;
        return sentences.map(
            (s, i) => tagBlock({ ...tb, group: `${i + 1}-${sentences.length}-${this.#group}` }) + s,
        );
    }
}

/** Armoured payload of one message (tests, fixed vectors). */
export function encodePayload(
    message: EncodableMessage,
    pad: '@' | ' ' = '@',
): { payload: string; fillBits: number } {
    return messageBits(message, pad).armour();
}
