/**
 * The direct writer: the gpsd JSON line of an AIS message written straight from its payload bits into the
 * output bytes, without building the message object (`decodePayload`) and serialising it (`gpsdLine`). This
 * is `maritime decode`'s hot path: building and walking an object per message cost more CPU than decoding.
 *
 * It covers the message types that make up nearly all traffic: 1, 2, 3 (class A position), 4 and 11 (base
 * station), 5 (static and voyage), 9 (SAR aircraft), 18 and 19 (class B), 21 (aid to navigation), 24 (class B
 * static) and 27 (long-range). For any other type, and for a payload `decodePayload` would reject (too short,
 * type 24 part 2 or 3), `writeGpsdDirect` writes nothing and returns false: the caller takes the object path.
 *
 * The bytes are exactly those of `gpsdLine(decodePayload(sym, bitlen))`: same fields, same order, same
 * sentinels left out, same number text. Each function below mirrors its counterpart in
 * shared/domain/ais/messages.ts line by line; test/cli/gpsdDirect.test.ts compares the two on every real test
 * file and on random payloads of every type and length.
 */
import {
    bit,
    sbits,
    sixbitText,
    sixbitTextUntrimmed,
    trimRight,
    ubits,
} from '../../shared/domain/ais/sixbit.js';
import { type ByteLines, ByteTable, LINE_ROOM } from './byteLines.js';

/** `,"name":` as bytes (a table of one entry: copied a word at a time). */
function k(name: string): ByteTable {
    return new ByteTable([`,"${name}":`]);
}

const K = {
    type: k('type'),
    repeat: k('repeat'),
    mmsi: k('mmsi'),
    status: k('status'),
    turn: k('turn'),
    turn_indicator: k('turn_indicator'),
    speed: k('speed'),
    accuracy: k('accuracy'),
    lon: k('lon'),
    lat: k('lat'),
    course: k('course'),
    heading: k('heading'),
    second: k('second'),
    maneuver: k('maneuver'),
    raim: k('raim'),
    radio: k('radio'),
    year: k('year'),
    month: k('month'),
    day: k('day'),
    hour: k('hour'),
    minute: k('minute'),
    timestamp: k('timestamp'),
    epfd: k('epfd'),
    ais_version: k('ais_version'),
    imo: k('imo'),
    callsign: k('callsign'),
    shipname: k('shipname'),
    shiptype: k('shiptype'),
    to_bow: k('to_bow'),
    to_stern: k('to_stern'),
    to_port: k('to_port'),
    to_starboard: k('to_starboard'),
    eta: k('eta'),
    draught: k('draught'),
    destination: k('destination'),
    dte: k('dte'),
    alt: k('alt'),
    regional: k('regional'),
    assigned: k('assigned'),
    reserved: k('reserved'),
    cs: k('cs'),
    display: k('display'),
    dsc: k('dsc'),
    band: k('band'),
    msg22: k('msg22'),
    aid_type: k('aid_type'),
    name: k('name'),
    off_position: k('off_position'),
    virtual_aid: k('virtual_aid'),
    partno: k('partno'),
    vendorid: k('vendorid'),
    model: k('model'),
    serial: k('serial'),
    mothership_mmsi: k('mothership_mmsi'),
    gnss: k('gnss'),
    seqno: k('seqno'),
    dest_mmsi: k('dest_mmsi'),
    retransmit: k('retransmit'),
    dac: k('dac'),
    fid: k('fid'),
    data: k('data'),
    application: k('application'),
    mmsiN: [1, 2, 3, 4].map((n) => k('mmsi' + n)),
    seqnoN: [1, 2, 3, 4].map((n) => k('seqno' + n)),
    text: k('text'),
    mmsi1: k('mmsi1'),
    mmsi2: k('mmsi2'),
    type1_1: k('type1_1'),
    offset1_1: k('offset1_1'),
    type1_2: k('type1_2'),
    offset1_2: k('offset1_2'),
    type2_1: k('type2_1'),
    offset2_1: k('offset2_1'),
    offset1: k('offset1'),
    increment1: k('increment1'),
    offset2: k('offset2'),
    increment2: k('increment2'),
    offsetN: [1, 2, 3, 4].map((n) => k('offset' + n)),
    numberN: [1, 2, 3, 4].map((n) => k('number' + n)),
    timeoutN: [1, 2, 3, 4].map((n) => k('timeout' + n)),
    incrementN: [1, 2, 3, 4].map((n) => k('increment' + n)),
    channel_a: k('channel_a'),
    channel_b: k('channel_b'),
    txrx: k('txrx'),
    power: k('power'),
    addressed: k('addressed'),
    dest1: k('dest1'),
    dest2: k('dest2'),
    ne_lon: k('ne_lon'),
    ne_lat: k('ne_lat'),
    sw_lon: k('sw_lon'),
    sw_lat: k('sw_lat'),
    band_a: k('band_a'),
    band_b: k('band_b'),
    zonesize: k('zonesize'),
    stationtype: k('stationtype'),
    interval: k('interval'),
    quiet: k('quiet'),
    structured: k('structured'),
    app_id: k('app_id'),
};

const UNSUPPORTED = Buffer.from('"unsupported"');

/** `'' + raw / 10` for every 12-bit raw value (speed, course, draught), built once. */
const TENTHS: readonly string[] = Array.from({ length: 4096 }, (_, i) => '' + i / 10);
/** `'' + turn` for every 8-bit raw rate of turn (index raw + 128), as positionA computes it. */
const TURN: readonly string[] = Array.from({ length: 256 }, (_, i) => {
    const t = i - 128;
    const r = t / 4.733;
    return '' + (t < 0 ? -r * r : r * r);
});

/**
 * `,"key":text(v)` for each raw value v in [0, n) (`text` undefined: a "not available" value, left out: an
 * empty entry), then `tail` (the next key when it always follows): one `entry` per field instead of a key and a
 * number, for the fields of few values.
 */
function fields(
    key: string,
    n: number,
    text: (v: number) => string | undefined = String,
    tail = '',
): ByteTable {
    return new ByteTable(
        Array.from({ length: n }, (_, v) => {
            const t = text(v);
            return t === undefined ? '' : `,"${key}":${t}${tail}`;
        }),
    );
}

const na =
    (sentinel: number, text: (v: number) => string = String) =>
    (v: number) =>
        v === sentinel ? undefined : text(v);
const tenths = (v: number): string => TENTHS[v] as string;
const bool = (v: number): string => (v === 1 ? 'true' : 'false');

/** Every line's start, by 4 type + repeat: `{"class":"AIS","type":1,"repeat":0,"mmsi":`. */
const HEAD = new ByteTable(
    Array.from({ length: 4 * 28 }, (_, i) => `{"class":"AIS","type":${i >> 2},"repeat":${i & 3},"mmsi":`),
);
const STATUS = fields('status', 16);
/** By raw rate of turn + 128 (= the 8 raw bits ^ 128): -128 left out, +-127 as turn_indicator. */
const TURN_FIELD = new ByteTable(
    Array.from({ length: 256 }, (_, i) =>
        i === 0
            ? ''
            : i === 255
              ? ',"turn_indicator":"fastright"'
              : i === 1
                ? ',"turn_indicator":"fastleft"'
                : ',"turn":' + (TURN[i] as string),
    ),
);
const SPEED_TENTHS = fields('speed', 1024, na(1023, tenths));
const ACCURACY = fields('accuracy', 2, bool);
const COURSE_TENTHS = fields('course', 4096, na(3600, tenths));
const HEADING = fields('heading', 512, na(511));
const SECOND = fields('second', 64, na(60));
/** By 2 maneuver + raim: the end of a class A position report up to its radio value. */
const MANEUVER_RAIM = new ByteTable(
    Array.from({ length: 8 }, (_, i) => `,"maneuver":${i >> 1},"raim":${bool(i & 1)},"radio":`),
);
const RESERVED = fields('reserved', 256);
/** By the 9 bits from bit 139 of type 18 (regional, 2 bits, then cs, display, dsc, band, msg22, assigned, raim), up to radio. */
const CLASS_B_FLAGS = new ByteTable(
    Array.from(
        { length: 512 },
        (_, i) =>
            `,"regional":${i >> 7},"cs":${bool((i >> 6) & 1)},"display":${bool((i >> 5) & 1)}` +
            `,"dsc":${bool((i >> 4) & 1)},"band":${bool((i >> 3) & 1)},"msg22":${bool((i >> 2) & 1)}` +
            `,"assigned":${bool((i >> 1) & 1)},"raim":${bool(i & 1)},"radio":`,
    ),
);
const AIS_VERSION_IMO = fields('ais_version', 4, String, ',"imo":');
const SHIPTYPE = fields('shiptype', 256);
const TO_BOW = fields('to_bow', 512);
const TO_STERN = fields('to_stern', 512);
const TO_PORT = fields('to_port', 64);
const TO_STARBOARD = fields('to_starboard', 64);
const EPFD = fields('epfd', 16);
const MONTH = fields('month', 16, na(0));
const DAY = fields('day', 32, na(0));
const HOUR = fields('hour', 32, na(24));
const MINUTE = fields('minute', 64, na(60));
const DRAUGHT = fields('draught', 256, tenths);

const LAT_NA = 91 * 600000;
const LON_NA = 181 * 600000;
const LAT10_NA = 91 * 600;
const LON10_NA = 181 * 600;

/**
 * Writes the gpsd JSON line (with the receiver time fields when `receiverTime` is given, and the newline) of
 * the message in `s` (6-bit symbols, `bitlen` valid bits, zero tail). False, with nothing written, for a type
 * it does not cover or a payload decodePayload rejects.
 */
export function writeGpsdDirect(
    o: ByteLines,
    s: Uint8Array,
    bitlen: number,
    receiverTime?: number,
    receiverTimeSource?: string,
): boolean {
    if (bitlen < 38) return false;
    const type = s[0] as number;
    switch (type) {
        case 1:
        case 2:
        case 3:
            if (bitlen < 163) return false;
            head(o, s, type);
            positionA(o, s, bitlen);
            break;
        case 4:
        case 11:
            if (bitlen < 168) return false;
            head(o, s, type);
            baseStation(o, s);
            break;
        case 5:
            if (bitlen < 420) return false;
            head(o, s, type);
            staticVoyage(o, s, bitlen);
            break;
        case 9:
            if (bitlen < 168) return false;
            head(o, s, type);
            sar(o, s);
            break;
        case 18:
            if (bitlen < 168) return false;
            head(o, s, type);
            classBHead(o, s);
            positionB(o, s);
            break;
        case 19:
            if (bitlen < 312) return false;
            head(o, s, type);
            classBHead(o, s);
            extendedB(o, s);
            break;
        case 21:
            if (bitlen < 272) return false;
            head(o, s, type);
            aidToNavigation(o, s, bitlen);
            break;
        case 24: {
            const partno = ubits(s, 38, 2);
            if (bitlen < 160 || partno > 1 || (partno === 1 && bitlen < 168)) return false;
            head(o, s, type);
            staticB(o, s, partno);
            break;
        }
        case 27:
            if (bitlen < 96) return false;
            head(o, s, type);
            longRange(o, s);
            break;
        case 6: {
            if (bitlen < 88 || addressedApp(ubits(s, 72, 10), ubits(s, 82, 6))) return false;
            head(o, s, type);
            uintField(o, K.seqno, ubits(s, 38, 2));
            uintField(o, K.dest_mmsi, ubits(s, 40, 30));
            boolField(o, K.retransmit, s, 70);
            uintField(o, K.dac, ubits(s, 72, 10));
            uintField(o, K.fid, ubits(s, 82, 6));
            // gpsd copies whole bytes from bit 88 without masking the last one.
            o.entry(K.data, 0);
            o.hex(s, 88, bitlen - 88, 88 + 8 * ((bitlen - 88 + 7) >>> 3));
            o.entry(K.application, 0);
            o.lit(UNSUPPORTED);
            break;
        }
        case 8: {
            const dac = ubits(s, 40, 10);
            const fid = ubits(s, 50, 6);
            if (bitlen < 56 || broadcastApp(dac, fid)) return false;
            head(o, s, type);
            uintField(o, K.dac, dac);
            uintField(o, K.fid, fid);
            // gpsd masks the bits after bitcount in the last byte for type 8.
            o.entry(K.data, 0);
            o.hex(s, 56, bitlen - 56, bitlen);
            o.entry(K.application, 0);
            o.lit(UNSUPPORTED);
            break;
        }
        case 7:
        case 13:
            if (bitlen < 72) return false;
            head(o, s, type);
            for (let u = 0; u < 4; u++) {
                const present = 40 + 32 * u < bitlen;
                uintField(o, K.mmsiN[u] as ByteTable, present ? ubits(s, 40 + 32 * u, 30) : 0);
                uintField(o, K.seqnoN[u] as ByteTable, present ? ubits(s, 72 + 32 * u, 2) : 0);
            }
            break;
        case 10:
            if (bitlen < 72) return false;
            head(o, s, type);
            uintField(o, K.dest_mmsi, ubits(s, 40, 30));
            break;
        case 12:
            if (bitlen < 72) return false;
            head(o, s, type);
            uintField(o, K.seqno, ubits(s, 38, 2));
            uintField(o, K.dest_mmsi, ubits(s, 40, 30));
            boolField(o, K.retransmit, s, 70);
            sixbitField(o, K.text, s, 72, Math.min(156, ((bitlen - 72) / 6) | 0));
            break;
        case 14:
            if (bitlen < 40) return false;
            head(o, s, type);
            sixbitField(o, K.text, s, 40, Math.min(160, ((bitlen - 40) / 6) | 0));
            break;
        case 15:
            if (bitlen < 88) return false;
            head(o, s, type);
            uintField(o, K.mmsi1, ubits(s, 40, 30));
            uintField(o, K.type1_1, ubits(s, 70, 6));
            uintField(o, K.offset1_1, ubits(s, 76, 12));
            uintField(o, K.type1_2, bitlen > 90 ? ubits(s, 90, 6) : 0);
            uintField(o, K.offset1_2, bitlen > 90 ? ubits(s, 96, 12) : 0);
            uintField(o, K.mmsi2, bitlen > 110 ? ubits(s, 110, 30) : 0);
            uintField(o, K.type2_1, bitlen > 110 ? ubits(s, 140, 6) : 0);
            uintField(o, K.offset2_1, bitlen > 110 ? ubits(s, 146, 12) : 0);
            break;
        case 16: {
            if (bitlen < 96) return false;
            const two = bitlen >= 144;
            head(o, s, type);
            uintField(o, K.mmsi1, ubits(s, 40, 30));
            uintField(o, K.offset1, ubits(s, 70, 12));
            uintField(o, K.increment1, ubits(s, 82, 10));
            uintField(o, K.mmsi2, two ? ubits(s, 92, 30) : 0);
            uintField(o, K.offset2, two ? ubits(s, 122, 12) : 0);
            uintField(o, K.increment2, two ? ubits(s, 134, 10) : 0);
            break;
        }
        case 17: {
            if (bitlen < 80) return false;
            head(o, s, type);
            const lon = sbits(s, 40, 18);
            const lat = sbits(s, 58, 17);
            if (lon !== LON10_NA) tenthMinutesField(o, K.lon, lon);
            if (lat !== LAT10_NA) tenthMinutesField(o, K.lat, lat);
            o.entry(K.data, 0);
            o.hex(s, 80, bitlen - 80, 80 + 8 * ((bitlen - 80 + 7) >>> 3));
            break;
        }
        case 20:
            if (bitlen < 72) return false;
            head(o, s, type);
            for (let u = 0; u < 4; u++) {
                const a = 40 + 30 * u;
                uintField(o, K.offsetN[u] as ByteTable, ubits(s, a, 12));
                uintField(o, K.numberN[u] as ByteTable, ubits(s, a + 12, 4));
                uintField(o, K.timeoutN[u] as ByteTable, ubits(s, a + 16, 3));
                uintField(o, K.incrementN[u] as ByteTable, ubits(s, a + 19, 11));
            }
            break;
        case 22:
            if (bitlen < 168) return false;
            head(o, s, type);
            channelManagement(o, s);
            break;
        case 23:
            if (bitlen < 160) return false;
            head(o, s, type);
            tenthMinutesField(o, K.ne_lon, sbits(s, 40, 18));
            tenthMinutesField(o, K.ne_lat, sbits(s, 58, 17));
            tenthMinutesField(o, K.sw_lon, sbits(s, 75, 18));
            tenthMinutesField(o, K.sw_lat, sbits(s, 93, 17));
            uintField(o, K.stationtype, ubits(s, 110, 4));
            uintField(o, K.shiptype, ubits(s, 114, 8));
            uintField(o, K.txrx, ubits(s, 144, 2));
            uintField(o, K.interval, ubits(s, 146, 4));
            uintField(o, K.quiet, ubits(s, 150, 4));
            break;
        case 25:
        case 26:
            if (!binaryMessage(o, s, bitlen, type)) return false;
            break;
        default:
            return false;
    }
    o.endLine(receiverTime, receiverTimeSource);
    return true;
}

function head(o: ByteLines, s: Uint8Array, type: number): void {
    o.room(LINE_ROOM);
    // Straight from the 6-bit symbols (symbol i holds bits 6i to 6i + 5), as in positionA: repeat is bits
    // 6-7 (symbol 1's top 2), mmsi bits 8-37.
    const s1 = s[1] as number;
    o.entry(HEAD, 4 * type + (s1 >>> 4));
    o.uint(
        (s1 & 15) * 67108864 +
            (((s[2] as number) << 18) |
                ((s[3] as number) << 12) |
                ((s[4] as number) << 6) |
                (s[5] as number)) *
                4 +
            ((s[6] as number) >>> 4),
    );
}

function uintField(o: ByteLines, key: ByteTable, v: number): void {
    o.entry(key, 0);
    o.uint(v);
}

function boolField(o: ByteLines, key: ByteTable, s: Uint8Array, at: number): void {
    o.entry(key, 0);
    o.bool(bit(s, at));
}

function tenthsField(o: ByteLines, key: ByteTable, raw: number): void {
    o.entry(key, 0);
    o.ascii(TENTHS[raw] as string);
}

function sixbitField(o: ByteLines, key: ByteTable, s: Uint8Array, start: number, count: number): void {
    o.entry(key, 0);
    o.sixbit(s, start, count);
}

function latLon(o: ByteLines, s: Uint8Array, lonAt: number, latAt: number): void {
    const lon = sbits(s, lonAt, 28);
    const lat = sbits(s, latAt, 27);
    if (lon !== LON_NA) {
        o.entry(K.lon, 0);
        o.degrees600k(lon);
    }
    if (lat !== LAT_NA) {
        o.entry(K.lat, 0);
        o.degrees600k(lat);
    }
}

/** The coordinates as `latLon` writes them, from the raw signed values. */
function latLonRaw(o: ByteLines, lon: number, lat: number): void {
    if (lon !== LON_NA) {
        o.entry(K.lon, 0);
        o.degrees600k(lon);
    }
    if (lat !== LAT_NA) {
        o.entry(K.lat, 0);
        o.degrees600k(lat);
    }
}

/**
 * The fields read straight from the 6-bit symbols instead of through `ubits` (the hottest message types):
 * symbol i holds bits 6i to 6i + 5, so each field is a few symbols masked and shifted, at fixed positions.
 * The bit range of each field is in its comment; test/cli/gpsdDirect.test.ts compares every field with the
 * object path.
 */
function positionA(o: ByteLines, s: Uint8Array, bitlen: number): void {
    const s6 = s[6] as number;
    const s7 = s[7] as number;
    const s8 = s[8] as number;
    const s10 = s[10] as number;
    const s14 = s[14] as number;
    const s19 = s[19] as number;
    const s21 = s[21] as number;
    const s22 = s[22] as number;
    const s23 = s[23] as number;
    const s24 = s[24] as number;
    o.entry(STATUS, s6 & 15); // 38-41
    o.entry(TURN_FIELD, ((s7 << 2) | (s8 >>> 4)) ^ 128); // 42-49
    o.entry(SPEED_TENTHS, ((s8 & 15) << 6) | (s[9] as number)); // 50-59
    o.entry(ACCURACY, s10 >>> 5); // 60
    // lon 61-88 (28 bits, signed), lat 89-115 (27 bits, signed).
    const lon =
        ((((s10 & 31) << 23) |
            ((s[11] as number) << 17) |
            ((s[12] as number) << 11) |
            ((s[13] as number) << 5) |
            (s14 >>> 1)) <<
            4) >>
        4;
    const lat =
        ((((s14 & 1) << 26) |
            ((s[15] as number) << 20) |
            ((s[16] as number) << 14) |
            ((s[17] as number) << 8) |
            ((s[18] as number) << 2) |
            (s19 >>> 4)) <<
            5) >>
        5;
    latLonRaw(o, lon, lat);
    o.entry(COURSE_TENTHS, ((s19 & 15) << 8) | ((s[20] as number) << 2) | (s21 >>> 4)); // 116-127
    o.entry(HEADING, ((s21 & 15) << 5) | (s22 >>> 1)); // 128-136
    o.entry(SECOND, ((s22 & 1) << 5) | (s23 >>> 1)); // 137-142
    o.entry(MANEUVER_RAIM, 2 * (((s23 & 1) << 1) | (s24 >>> 5)) + ((s24 >>> 1) & 1)); // 143-144, 148
    // radio 149-167
    o.uint(
        bitlen >= 168
            ? ((s24 & 1) << 18) | ((s[25] as number) << 12) | ((s[26] as number) << 6) | (s[27] as number)
            : ubits(s, 149, bitlen - 149),
    );
}

function pad2(n: number): string {
    return n < 10 ? '0' + n : String(n);
}

function baseStation(o: ByteLines, s: Uint8Array): void {
    const year = ubits(s, 38, 14);
    const month = ubits(s, 52, 4);
    const day = ubits(s, 56, 5);
    const hour = ubits(s, 61, 5);
    const minute = ubits(s, 66, 6);
    const second = ubits(s, 72, 6);
    if (year !== 0) uintField(o, K.year, year);
    if (month !== 0) uintField(o, K.month, month);
    if (day !== 0) uintField(o, K.day, day);
    if (hour !== 24) uintField(o, K.hour, hour);
    if (minute !== 60) uintField(o, K.minute, minute);
    if (second !== 60) uintField(o, K.second, second);
    if (year !== 0 && month !== 0 && day !== 0 && hour !== 24 && minute !== 60 && second !== 60) {
        o.entry(K.timestamp, 0);
        o.ascii(
            '"' +
                String(year).padStart(4, '0') +
                '-' +
                pad2(month) +
                '-' +
                pad2(day) +
                'T' +
                pad2(hour) +
                ':' +
                pad2(minute) +
                ':' +
                pad2(second) +
                'Z"',
        );
    }
    boolField(o, K.accuracy, s, 78);
    latLon(o, s, 79, 107);
    uintField(o, K.epfd, ubits(s, 134, 4));
    boolField(o, K.raim, s, 148);
    uintField(o, K.radio, ubits(s, 149, 19));
}

function staticVoyage(o: ByteLines, s: Uint8Array, bitlen: number): void {
    o.entry(AIS_VERSION_IMO, ubits(s, 38, 2));
    o.uint(ubits(s, 40, 30));
    sixbitField(o, K.callsign, s, 70, 7);
    sixbitField(o, K.shipname, s, 112, 20);
    o.entry(SHIPTYPE, ubits(s, 232, 8));
    o.entry(TO_BOW, ubits(s, 240, 9));
    o.entry(TO_STERN, ubits(s, 249, 9));
    o.entry(TO_PORT, ubits(s, 258, 6));
    o.entry(TO_STARBOARD, ubits(s, 264, 6));
    o.entry(EPFD, ubits(s, 270, 4));
    const month = ubits(s, 274, 4);
    const day = ubits(s, 278, 5);
    const hour = ubits(s, 283, 5);
    const minute = ubits(s, 288, 6);
    o.entry(MONTH, month);
    o.entry(DAY, day);
    o.entry(HOUR, hour);
    o.entry(MINUTE, minute);
    if (month !== 0 && day !== 0 && hour !== 24 && minute !== 60) {
        o.entry(K.eta, 0);
        o.ascii('"' + pad2(month) + '-' + pad2(day) + 'T' + pad2(hour) + ':' + pad2(minute) + 'Z"');
    }
    o.entry(DRAUGHT, ubits(s, 294, 8));
    sixbitField(o, K.destination, s, 302, 20);
    if (bitlen >= 423) uintField(o, K.dte, ubits(s, 422, 1));
}

function sar(o: ByteLines, s: Uint8Array): void {
    const alt = ubits(s, 38, 12);
    if (alt !== 4095) uintField(o, K.alt, alt);
    const speed = ubits(s, 50, 10);
    if (speed !== 1023) uintField(o, K.speed, speed);
    boolField(o, K.accuracy, s, 60);
    latLon(o, s, 61, 89);
    const course = ubits(s, 116, 12);
    if (course !== 3600) tenthsField(o, K.course, course);
    const second = ubits(s, 128, 6);
    if (second !== 60) uintField(o, K.second, second);
    uintField(o, K.regional, ubits(s, 134, 8));
    uintField(o, K.dte, ubits(s, 142, 1));
    boolField(o, K.assigned, s, 146);
    boolField(o, K.raim, s, 147);
    uintField(o, K.radio, ubits(s, 148, 20));
}

/** Straight from the 6-bit symbols, as positionA (types 18 and 19, at least 168 bits). */
function classBHead(o: ByteLines, s: Uint8Array): void {
    const s7 = s[7] as number;
    const s9 = s[9] as number;
    const s14 = s[14] as number;
    const s18 = s[18] as number;
    const s20 = s[20] as number;
    const s22 = s[22] as number;
    o.entry(RESERVED, (((s[6] as number) & 15) << 4) | (s7 >>> 2)); // 38-45
    o.entry(SPEED_TENTHS, ((s7 & 3) << 8) | ((s[8] as number) << 2) | (s9 >>> 4)); // 46-55
    o.entry(ACCURACY, (s9 >>> 3) & 1); // 56
    // lon 57-84 (28 bits, signed), lat 85-111 (27 bits, signed).
    const lon =
        ((((s9 & 7) << 25) |
            ((s[10] as number) << 19) |
            ((s[11] as number) << 13) |
            ((s[12] as number) << 7) |
            ((s[13] as number) << 1) |
            (s14 >>> 5)) <<
            4) >>
        4;
    const lat =
        ((((s14 & 31) << 22) |
            ((s[15] as number) << 16) |
            ((s[16] as number) << 10) |
            ((s[17] as number) << 4) |
            (s18 >>> 2)) <<
            5) >>
        5;
    latLonRaw(o, lon, lat);
    o.entry(COURSE_TENTHS, ((s18 & 3) << 10) | ((s[19] as number) << 4) | (s20 >>> 2)); // 112-123
    o.entry(HEADING, ((s20 & 3) << 7) | ((s[21] as number) << 1) | (s22 >>> 5)); // 124-132
    o.entry(SECOND, ((s22 & 31) << 1) | ((s[23] as number) >>> 5)); // 133-138
}

function positionB(o: ByteLines, s: Uint8Array): void {
    const s24 = s[24] as number;
    o.entry(CLASS_B_FLAGS, (((s[23] as number) & 31) << 4) | (s24 >>> 2)); // 139-147
    // radio 148-167
    o.uint(((s24 & 3) << 18) | ((s[25] as number) << 12) | ((s[26] as number) << 6) | (s[27] as number));
}

function extendedB(o: ByteLines, s: Uint8Array): void {
    uintField(o, K.regional, ubits(s, 139, 4));
    sixbitField(o, K.shipname, s, 143, 20);
    uintField(o, K.shiptype, ubits(s, 263, 8));
    uintField(o, K.to_bow, ubits(s, 271, 9));
    uintField(o, K.to_stern, ubits(s, 280, 9));
    uintField(o, K.to_port, ubits(s, 289, 6));
    uintField(o, K.to_starboard, ubits(s, 295, 6));
    uintField(o, K.epfd, ubits(s, 301, 4));
    boolField(o, K.raim, s, 305);
    uintField(o, K.dte, ubits(s, 306, 1));
    boolField(o, K.assigned, s, 307);
}

function aidToNavigation(o: ByteLines, s: Uint8Array, bitlen: number): void {
    uintField(o, K.aid_type, ubits(s, 38, 5));
    let name = sixbitTextUntrimmed(s, 43, 20);
    if (name.length === 20 && bitlen > 272)
        name += sixbitText(s, 272, Math.min(14, ((bitlen - 272) / 6) | 0));
    o.entry(K.name, 0);
    o.string(trimRight(name));
    boolField(o, K.accuracy, s, 163);
    latLon(o, s, 164, 192);
    uintField(o, K.to_bow, ubits(s, 219, 9));
    uintField(o, K.to_stern, ubits(s, 228, 9));
    uintField(o, K.to_port, ubits(s, 237, 6));
    uintField(o, K.to_starboard, ubits(s, 243, 6));
    uintField(o, K.epfd, ubits(s, 249, 4));
    const second = ubits(s, 253, 6);
    if (second !== 60) uintField(o, K.second, second);
    boolField(o, K.off_position, s, 259);
    uintField(o, K.regional, ubits(s, 260, 8));
    boolField(o, K.raim, s, 268);
    boolField(o, K.virtual_aid, s, 269);
    boolField(o, K.assigned, s, 270);
}

function staticB(o: ByteLines, s: Uint8Array, partno: number): void {
    uintField(o, K.partno, partno);
    if (partno === 0) {
        sixbitField(o, K.shipname, s, 40, 20);
        return;
    }
    uintField(o, K.shiptype, ubits(s, 40, 8));
    sixbitField(o, K.vendorid, s, 48, 7);
    uintField(o, K.model, ubits(s, 66, 4));
    uintField(o, K.serial, ubits(s, 70, 20));
    sixbitField(o, K.callsign, s, 90, 7);
    if (((ubits(s, 8, 30) / 10000000) | 0) === 98) {
        uintField(o, K.mothership_mmsi, ubits(s, 132, 30));
    } else {
        uintField(o, K.to_bow, ubits(s, 132, 9));
        uintField(o, K.to_stern, ubits(s, 141, 9));
        uintField(o, K.to_port, ubits(s, 150, 6));
        uintField(o, K.to_starboard, ubits(s, 156, 6));
    }
}

/** Type 6 DAC/FI pairs messages.ts hands to decodeAddressedApp (which may decode them): the object path's. */
function addressedApp(dac: number, fid: number): boolean {
    if ((dac === 235 || dac === 250) && fid === 10) return true;
    return dac === 1 && (fid === 12 || fid === 14 || fid === 18 || fid === 30 || fid === 32);
}

/** Type 8 DAC/FI pairs messages.ts's binaryBroadcast may decode in full: the object path's. */
function broadcastApp(dac: number, fid: number): boolean {
    return (dac === 1 && (fid === 31 || fid === 11)) || (dac === 200 && fid === 10);
}

/**
 * A coordinate in 1/10 minute (types 17, 22, 23, 27) as `'' + raw / 600`: the same double as
 * `1000 raw / 600000` (both are the correctly rounded quotient of the same rational), so the same text.
 */
function tenthMinutesField(o: ByteLines, key: ByteTable, raw: number): void {
    o.entry(key, 0);
    o.degrees600k(1000 * raw);
}

function channelManagement(o: ByteLines, s: Uint8Array): void {
    uintField(o, K.channel_a, ubits(s, 40, 12));
    uintField(o, K.channel_b, ubits(s, 52, 12));
    uintField(o, K.txrx, ubits(s, 64, 4));
    boolField(o, K.power, s, 68);
    const addressed = bit(s, 139);
    o.entry(K.addressed, 0);
    o.bool(addressed);
    if (addressed) {
        uintField(o, K.dest1, ubits(s, 69, 30));
        uintField(o, K.dest2, ubits(s, 104, 30));
    } else {
        tenthMinutesField(o, K.ne_lon, sbits(s, 69, 18));
        tenthMinutesField(o, K.ne_lat, sbits(s, 87, 17));
        tenthMinutesField(o, K.sw_lon, sbits(s, 104, 18));
        tenthMinutesField(o, K.sw_lat, sbits(s, 122, 17));
    }
    boolField(o, K.band_a, s, 140);
    boolField(o, K.band_b, s, 141);
    uintField(o, K.zonesize, ubits(s, 142, 3));
}

/** Types 25 and 26 (false, nothing written, when decodePayload finds them too short). */
function binaryMessage(o: ByteLines, s: Uint8Array, bitlen: number, type: number): boolean {
    if (bitlen < (type === 25 ? 40 : 60)) return false;
    const addressed = bit(s, 38);
    const structured = bit(s, 39);
    const radioBits = type === 26 ? 20 : 0;
    const start = 40 + (structured ? 16 : 0);
    if (bitlen < start + (addressed ? 30 : 0) + radioBits) return false;
    head(o, s, type);
    o.entry(K.addressed, 0);
    o.bool(addressed);
    o.entry(K.structured, 0);
    o.bool(structured);
    if (addressed) uintField(o, K.dest_mmsi, ubits(s, 40, 30));
    if (structured) uintField(o, K.app_id, ubits(s, addressed ? 70 : 40, 16));
    const copied = bitlen - start - radioBits;
    o.entry(K.data, 0);
    o.hex(s, start + (addressed ? 30 : 0), copied - (addressed ? 30 : 0), start + 8 * ((copied + 7) >>> 3));
    if (type === 26) uintField(o, K.radio, ubits(s, bitlen - 20, 20));
    return true;
}

function longRange(o: ByteLines, s: Uint8Array): void {
    boolField(o, K.accuracy, s, 38);
    boolField(o, K.raim, s, 39);
    uintField(o, K.status, ubits(s, 40, 4));
    const lon = sbits(s, 44, 18);
    const lat = sbits(s, 62, 17);
    if (lon !== LON10_NA) {
        o.entry(K.lon, 0);
        o.degrees600k(1000 * lon);
    }
    if (lat !== LAT10_NA) {
        o.entry(K.lat, 0);
        o.degrees600k(1000 * lat);
    }
    const speed = ubits(s, 79, 6);
    if (speed !== 63) uintField(o, K.speed, speed);
    const course = ubits(s, 85, 9);
    if (course !== 511) uintField(o, K.course, course);
    boolField(o, K.gnss, s, 94);
}
