/**
 * AIS message bodies (ITU-R M.1371, types 1..27) from a de-armoured payload, with gpsd's JSON field names and
 * gpsd's "scaled" units (`gpsdecode -j`): degrees, knots, metres. Bit layouts follow gpsd's driver_ais.c,
 * including its length tolerances (e.g. type 5 with 420 bits) and its reading of missing trailing bits as 0.
 *
 * Not-available sentinels: a field whose raw value is the AIS "not available" code is LEFT OUT of the object.
 * Only codes outside the physical range of the field are treated so; codes that are also a plausible value
 * (0 for draught, dimensions, IMO, ship type, EPFD) are kept, as gpsd keeps them. Reserved / out-of-range
 * raw values (e.g. lat -101.5°, heading 472, second 61..63) are passed on as gpsd does.
 *
 * | field (types)                                   | raw sentinel            | output when available                 |
 * |-------------------------------------------------|-------------------------|---------------------------------------|
 * | lat (1-4, 9, 11, 18, 19, 21)                     | 91° (54600000)          | degrees = raw / 600000                |
 * | lon (1-4, 9, 11, 18, 19, 21)                     | 181° (108600000)        | degrees = raw / 600000                |
 * | lat / lon (17, 27; 1/10 min)                     | 91° / 181° (54600/108600)| degrees = raw / 600                  |
 * | ne_/sw_lat, ne_/sw_lon (22, 23; 1/10 min)        | none                    | degrees = raw / 600 (gpsd: strings)   |
 * | speed (1-3, 18, 19)                              | 1023                    | knots = raw / 10 (1022 = ≥102.2 kept) |
 * | speed (9: whole knots), (27: whole knots)        | 1023 / 63               | knots = raw                           |
 * | course (1-3, 9, 18, 19; 1/10°)                   | 3600                    | degrees = raw / 10                    |
 * | course (27; whole degrees)                       | 511                     | degrees = raw                         |
 * | heading (1-3, 18, 19)                            | 511                     | degrees                               |
 * | turn (1-3)                                       | -128                    | deg/min = sign·(raw/4.733)², see below|
 * | second (1-3, 9, 18, 19, 21)                      | 60                      | 0..59, 61..63 kept (special meanings) |
 * | alt (9)                                          | 4095                    | metres (4094 = ≥4094 kept)            |
 * | year/month/day/hour/minute/second (4, 11)        | 0/0/0/24/60/60          | each left out alone; `timestamp`      |
 * |                                                  |                         | (gpsd string) only when all available |
 * | month/day/hour/minute ETA (5)                    | 0/0/24/60               | each left out alone; `eta` (gpsd      |
 * |                                                  |                         | "MM-DDTHH:MMZ") only when all present |
 * | draught (5)                                      | none (0 kept, as gpsd)  | metres = raw / 10                     |
 * | imo, shiptype, to_* (5, 19, 24), epfd            | none (0 kept, as gpsd)  | as is                                 |
 *
 * `turn` (rate of turn): raw ±127 means "turning faster than 5°/30 s, no turn indicator": `turn` is left out
 * and `turn_indicator` is `'fastright'` (127) or `'fastleft'` (-127). Otherwise `turn` is the ITU formula
 * sign(raw)·(raw/4.733)² in degrees per minute (0 for raw 0). gpsd prints a string here ("fastleft", "n/a",
 * "0.00", or an unsigned magnitude); libais prints the same signed number as we do.
 *
 * Fields gpsd's JSON does not print but that are in the message and decoded here: `assigned` (9, 18, 21),
 * `txrx` (23), `seqno1..4` (7, 13), `radio` of type 26 (gpsd prints 0). Enumerations are numbers only
 * (no gpsd `*_text` legends). Type 24 parts A and B are separate messages (`partno` 0 / 1); gpsd merges them.
 * Types 6 and 8: `dac`, `fid`, and the application bits as gpsd's `data` (`"<bits>:<hex>"`) plus
 * `application: 'unsupported'`, except the application messages decoded in `application.ts` with gpsd's field
 * names: type 8 DAC 1 FI 31 and FI 11 (met/hydro), type 8 DAC 200 FI 10 (inland static and voyage data), type 6
 * DAC 1 FI 12, 14, 18, 30, 32 (IMO236 / IMO SN.1/Circ.289) and DAC 235/250 FI 10 (AtoN monitoring).
 * Types 25/26 carry `dest_mmsi` only when addressed and `app_id` only when structured (gpsd prints 0).
 */
import { decodeAddressedApp, decodeInlandStatic, decodeMetHydro11, decodeMetHydro31 } from './application.js';
import { bit, hexData, sbits, sixbitText, sixbitTextUntrimmed, trimRight, ubits } from './sixbit.js';
import type { AisMessage } from './types.js';

/** Failure codes returned instead of a message. */
export const FAIL_TOO_SHORT = 1;
export const FAIL_UNKNOWN_TYPE = 2;
export const FAIL_BAD_PART = 3;

const LATLON_DIV = 600000;
const LAT_NA = 91 * 600000;
const LON_NA = 181 * 600000;
const LATLON10_DIV = 600;
const LAT10_NA = 91 * 600;
const LON10_NA = 181 * 600;

/** Minimum payload bits per message type (gpsd's checks), index = type. */
const MIN_BITS: readonly number[] = [
    0, 163, 163, 163, 168, 420, 88, 72, 56, 168, 72, 168, 72, 72, 40, 88, 96, 80, 168, 312, 72, 272, 168, 160,
    160, 40, 60, 96,
];

/**
 * Decodes the message in `s` (6-bit symbols, `bitlen` valid bits, zero tail). Returns the message or a
 * FAIL_* code.
 */
export function decodePayload(s: Uint8Array, bitlen: number): AisMessage | number {
    if (bitlen < 38) return FAIL_TOO_SHORT;
    const type = ubits(s, 0, 6);
    if (type < 1 || type > 27) return FAIL_UNKNOWN_TYPE;
    if (bitlen < (MIN_BITS[type] as number)) return FAIL_TOO_SHORT;
    const repeat = ubits(s, 6, 2);
    const mmsi = ubits(s, 8, 30);
    const m: AisMessage =
        type <= 3 || type === 18 ? new PositionMessage(type, repeat, mmsi) : new Message(type, repeat, mmsi);
    switch (type) {
        case 1:
        case 2:
        case 3:
            positionA(s, bitlen, m);
            return m;
        case 4:
        case 11:
            baseStation(s, m);
            return m;
        case 5:
            staticVoyage(s, bitlen, m);
            return m;
        case 6:
            m.seqno = ubits(s, 38, 2);
            m.dest_mmsi = ubits(s, 40, 30);
            m.retransmit = bit(s, 70);
            m.dac = ubits(s, 72, 10);
            m.fid = ubits(s, 82, 6);
            if (decodeAddressedApp(s, bitlen, m.dac as number, m.fid as number, m)) return m;
            // gpsd copies whole bytes from bit 88 without masking the last one.
            m.data = hexData(s, 88, bitlen - 88, 88 + 8 * ((bitlen - 88 + 7) >>> 3));
            m.application = 'unsupported';
            return m;
        case 7:
        case 13:
            for (let u = 0; u < 4; u++) {
                const present = 40 + 32 * u < bitlen;
                m['mmsi' + (u + 1)] = present ? ubits(s, 40 + 32 * u, 30) : 0;
                m['seqno' + (u + 1)] = present ? ubits(s, 72 + 32 * u, 2) : 0;
            }
            return m;
        case 8:
            binaryBroadcast(s, bitlen, m);
            return m;
        case 9:
            sar(s, m);
            return m;
        case 10:
            m.dest_mmsi = ubits(s, 40, 30);
            return m;
        case 12:
            m.seqno = ubits(s, 38, 2);
            m.dest_mmsi = ubits(s, 40, 30);
            m.retransmit = bit(s, 70);
            m.text = sixbitText(s, 72, Math.min(156, ((bitlen - 72) / 6) | 0));
            return m;
        case 14:
            m.text = sixbitText(s, 40, Math.min(160, ((bitlen - 40) / 6) | 0));
            return m;
        case 15:
            m.mmsi1 = ubits(s, 40, 30);
            m.type1_1 = ubits(s, 70, 6);
            m.offset1_1 = ubits(s, 76, 12);
            m.type1_2 = bitlen > 90 ? ubits(s, 90, 6) : 0;
            m.offset1_2 = bitlen > 90 ? ubits(s, 96, 12) : 0;
            m.mmsi2 = bitlen > 110 ? ubits(s, 110, 30) : 0;
            m.type2_1 = bitlen > 110 ? ubits(s, 140, 6) : 0;
            m.offset2_1 = bitlen > 110 ? ubits(s, 146, 12) : 0;
            return m;
        case 16: {
            const two = bitlen >= 144;
            m.mmsi1 = ubits(s, 40, 30);
            m.offset1 = ubits(s, 70, 12);
            m.increment1 = ubits(s, 82, 10);
            m.mmsi2 = two ? ubits(s, 92, 30) : 0;
            m.offset2 = two ? ubits(s, 122, 12) : 0;
            m.increment2 = two ? ubits(s, 134, 10) : 0;
            return m;
        }
        case 17: {
            const lon = sbits(s, 40, 18);
            const lat = sbits(s, 58, 17);
            if (lon !== LON10_NA) m.lon = lon / LATLON10_DIV;
            if (lat !== LAT10_NA) m.lat = lat / LATLON10_DIV;
            m.data = hexData(s, 80, bitlen - 80, 80 + 8 * ((bitlen - 80 + 7) >>> 3));
            return m;
        }
        case 18:
            positionB(s, m);
            return m;
        case 19:
            extendedB(s, m);
            return m;
        case 20:
            for (let u = 0; u < 4; u++) {
                const a = 40 + 30 * u;
                const n = u + 1;
                m['offset' + n] = ubits(s, a, 12);
                m['number' + n] = ubits(s, a + 12, 4);
                m['timeout' + n] = ubits(s, a + 16, 3);
                m['increment' + n] = ubits(s, a + 19, 11);
            }
            return m;
        case 21:
            aidToNavigation(s, bitlen, m);
            return m;
        case 22:
            m.channel_a = ubits(s, 40, 12);
            m.channel_b = ubits(s, 52, 12);
            m.txrx = ubits(s, 64, 4);
            m.power = bit(s, 68);
            m.addressed = bit(s, 139);
            if (m.addressed) {
                m.dest1 = ubits(s, 69, 30);
                m.dest2 = ubits(s, 104, 30);
            } else {
                m.ne_lon = sbits(s, 69, 18) / LATLON10_DIV;
                m.ne_lat = sbits(s, 87, 17) / LATLON10_DIV;
                m.sw_lon = sbits(s, 104, 18) / LATLON10_DIV;
                m.sw_lat = sbits(s, 122, 17) / LATLON10_DIV;
            }
            m.band_a = bit(s, 140);
            m.band_b = bit(s, 141);
            m.zonesize = ubits(s, 142, 3);
            return m;
        case 23:
            m.ne_lon = sbits(s, 40, 18) / LATLON10_DIV;
            m.ne_lat = sbits(s, 58, 17) / LATLON10_DIV;
            m.sw_lon = sbits(s, 75, 18) / LATLON10_DIV;
            m.sw_lat = sbits(s, 93, 17) / LATLON10_DIV;
            m.stationtype = ubits(s, 110, 4);
            m.shiptype = ubits(s, 114, 8);
            m.txrx = ubits(s, 144, 2);
            m.interval = ubits(s, 146, 4);
            m.quiet = ubits(s, 150, 4);
            return m;
        case 24:
            return staticB(s, bitlen, m);
        case 25:
        case 26:
            return binaryMessage(s, bitlen, m, type);
        default: // 27
            longRange(s, m);
            return m;
    }
}

/**
 * Messages are instances of these plain data classes (no methods, `Object.prototype`-like behaviour for
 * spreading and JSON): a constructor lets V8 size the objects for the fields they get (in-object slack
 * tracking), which keeps conditional fields (sentinels left out) cheap on the hot path.
 */
class Message implements AisMessage {
    [field: string]: unknown;
    constructor(
        public type: number,
        public repeat: number,
        public mmsi: number,
    ) {}
}

/** Types 1, 2, 3 and 18: the bulk of the traffic, with their own object layout. */
class PositionMessage implements AisMessage {
    [field: string]: unknown;
    constructor(
        public type: number,
        public repeat: number,
        public mmsi: number,
    ) {}
}

function latLon(s: Uint8Array, lonAt: number, latAt: number, m: AisMessage): void {
    const lon = sbits(s, lonAt, 28);
    const lat = sbits(s, latAt, 27);
    if (lon !== LON_NA) m.lon = lon / LATLON_DIV;
    if (lat !== LAT_NA) m.lat = lat / LATLON_DIV;
}

function positionA(s: Uint8Array, bitlen: number, m: AisMessage): void {
    m.status = ubits(s, 38, 4);
    const turn = sbits(s, 42, 8);
    if (turn === 127) m.turn_indicator = 'fastright';
    else if (turn === -127) m.turn_indicator = 'fastleft';
    else if (turn !== -128) {
        const r = turn / 4.733;
        m.turn = turn < 0 ? -r * r : r * r;
    }
    const speed = ubits(s, 50, 10);
    if (speed !== 1023) m.speed = speed / 10;
    m.accuracy = bit(s, 60);
    latLon(s, 61, 89, m);
    const course = ubits(s, 116, 12);
    if (course !== 3600) m.course = course / 10;
    const heading = ubits(s, 128, 9);
    if (heading !== 511) m.heading = heading;
    const second = ubits(s, 137, 6);
    if (second !== 60) m.second = second;
    m.maneuver = ubits(s, 143, 2);
    m.raim = bit(s, 148);
    m.radio = bitlen >= 168 ? ubits(s, 149, 19) : ubits(s, 149, bitlen - 149);
}

function baseStation(s: Uint8Array, m: AisMessage): void {
    const year = ubits(s, 38, 14);
    const month = ubits(s, 52, 4);
    const day = ubits(s, 56, 5);
    const hour = ubits(s, 61, 5);
    const minute = ubits(s, 66, 6);
    const second = ubits(s, 72, 6);
    let all = true;
    if (year !== 0) m.year = year;
    else all = false;
    if (month !== 0) m.month = month;
    else all = false;
    if (day !== 0) m.day = day;
    else all = false;
    if (hour !== 24) m.hour = hour;
    else all = false;
    if (minute !== 60) m.minute = minute;
    else all = false;
    if (second !== 60) m.second = second;
    else all = false;
    if (all) {
        m.timestamp =
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
            'Z';
    }
    m.accuracy = bit(s, 78);
    latLon(s, 79, 107, m);
    m.epfd = ubits(s, 134, 4);
    m.raim = bit(s, 148);
    m.radio = ubits(s, 149, 19);
}

function pad2(n: number): string {
    return n < 10 ? '0' + n : String(n);
}

/** Month/day/hour/minute with their sentinels; `eta` (gpsd "MM-DDTHH:MMZ") when all four are available. */
function etaFields(s: Uint8Array, at: number, m: AisMessage): void {
    const month = ubits(s, at, 4);
    const day = ubits(s, at + 4, 5);
    const hour = ubits(s, at + 9, 5);
    const minute = ubits(s, at + 14, 6);
    let all = true;
    if (month !== 0) m.month = month;
    else all = false;
    if (day !== 0) m.day = day;
    else all = false;
    if (hour !== 24) m.hour = hour;
    else all = false;
    if (minute !== 60) m.minute = minute;
    else all = false;
    if (all) m.eta = pad2(month) + '-' + pad2(day) + 'T' + pad2(hour) + ':' + pad2(minute) + 'Z';
}

function staticVoyage(s: Uint8Array, bitlen: number, m: AisMessage): void {
    m.ais_version = ubits(s, 38, 2);
    m.imo = ubits(s, 40, 30);
    m.callsign = sixbitText(s, 70, 7);
    m.shipname = sixbitText(s, 112, 20);
    m.shiptype = ubits(s, 232, 8);
    m.to_bow = ubits(s, 240, 9);
    m.to_stern = ubits(s, 249, 9);
    m.to_port = ubits(s, 258, 6);
    m.to_starboard = ubits(s, 264, 6);
    m.epfd = ubits(s, 270, 4);
    etaFields(s, 274, m);
    m.draught = ubits(s, 294, 8) / 10;
    m.destination = sixbitText(s, 302, 20);
    // gpsd reads dte only when the bit is there (transmitters in the wild send 420 or 422 bits).
    if (bitlen >= 423) m.dte = ubits(s, 422, 1);
}

function binaryBroadcast(s: Uint8Array, bitlen: number, m: AisMessage): void {
    const dac = ubits(s, 40, 10);
    const fid = ubits(s, 50, 6);
    m.dac = dac;
    m.fid = fid;
    if (dac === 1 && fid === 31 && bitlen >= 350) {
        decodeMetHydro31(s, m);
        return;
    }
    if (dac === 1 && fid === 11 && bitlen >= 346) {
        decodeMetHydro11(s, m);
        return;
    }
    if (dac === 200 && fid === 10 && decodeInlandStatic(s, bitlen, m)) return;
    // gpsd masks the bits after bitcount in the last byte for type 8.
    m.data = hexData(s, 56, bitlen - 56, bitlen);
    m.application = 'unsupported';
}

function sar(s: Uint8Array, m: AisMessage): void {
    const alt = ubits(s, 38, 12);
    if (alt !== 4095) m.alt = alt;
    const speed = ubits(s, 50, 10);
    if (speed !== 1023) m.speed = speed;
    m.accuracy = bit(s, 60);
    latLon(s, 61, 89, m);
    const course = ubits(s, 116, 12);
    if (course !== 3600) m.course = course / 10;
    const second = ubits(s, 128, 6);
    if (second !== 60) m.second = second;
    m.regional = ubits(s, 134, 8);
    m.dte = ubits(s, 142, 1);
    m.assigned = bit(s, 146);
    m.raim = bit(s, 147);
    m.radio = ubits(s, 148, 20);
}

/** Speed, accuracy, position, course, heading, second: the common head of types 18 and 19. */
function classBHead(s: Uint8Array, m: AisMessage): void {
    m.reserved = ubits(s, 38, 8);
    const speed = ubits(s, 46, 10);
    if (speed !== 1023) m.speed = speed / 10;
    m.accuracy = bit(s, 56);
    latLon(s, 57, 85, m);
    const course = ubits(s, 112, 12);
    if (course !== 3600) m.course = course / 10;
    const heading = ubits(s, 124, 9);
    if (heading !== 511) m.heading = heading;
    const second = ubits(s, 133, 6);
    if (second !== 60) m.second = second;
}

function positionB(s: Uint8Array, m: AisMessage): void {
    classBHead(s, m);
    m.regional = ubits(s, 139, 2);
    m.cs = bit(s, 141);
    m.display = bit(s, 142);
    m.dsc = bit(s, 143);
    m.band = bit(s, 144);
    m.msg22 = bit(s, 145);
    m.assigned = bit(s, 146);
    m.raim = bit(s, 147);
    m.radio = ubits(s, 148, 20);
}

function extendedB(s: Uint8Array, m: AisMessage): void {
    classBHead(s, m);
    m.regional = ubits(s, 139, 4);
    m.shipname = sixbitText(s, 143, 20);
    m.shiptype = ubits(s, 263, 8);
    m.to_bow = ubits(s, 271, 9);
    m.to_stern = ubits(s, 280, 9);
    m.to_port = ubits(s, 289, 6);
    m.to_starboard = ubits(s, 295, 6);
    m.epfd = ubits(s, 301, 4);
    m.raim = bit(s, 305);
    m.dte = ubits(s, 306, 1);
    m.assigned = bit(s, 307);
}

function aidToNavigation(s: Uint8Array, bitlen: number, m: AisMessage): void {
    m.aid_type = ubits(s, 38, 5);
    let name = sixbitTextUntrimmed(s, 43, 20);
    if (name.length === 20 && bitlen > 272)
        name += sixbitText(s, 272, Math.min(14, ((bitlen - 272) / 6) | 0));
    m.name = trimRight(name);
    m.accuracy = bit(s, 163);
    latLon(s, 164, 192, m);
    m.to_bow = ubits(s, 219, 9);
    m.to_stern = ubits(s, 228, 9);
    m.to_port = ubits(s, 237, 6);
    m.to_starboard = ubits(s, 243, 6);
    m.epfd = ubits(s, 249, 4);
    const second = ubits(s, 253, 6);
    if (second !== 60) m.second = second;
    m.off_position = bit(s, 259);
    m.regional = ubits(s, 260, 8);
    m.raim = bit(s, 268);
    m.virtual_aid = bit(s, 269);
    m.assigned = bit(s, 270);
}

function staticB(s: Uint8Array, bitlen: number, m: AisMessage): AisMessage | number {
    const partno = ubits(s, 38, 2);
    if (partno > 1) return FAIL_BAD_PART;
    m.partno = partno;
    if (partno === 0) {
        m.shipname = sixbitText(s, 40, 20);
        return m;
    }
    if (bitlen < 168) return FAIL_TOO_SHORT;
    m.shiptype = ubits(s, 40, 8);
    m.vendorid = sixbitText(s, 48, 7);
    m.model = ubits(s, 66, 4);
    m.serial = ubits(s, 70, 20);
    m.callsign = sixbitText(s, 90, 7);
    if (((m.mmsi / 10000000) | 0) === 98) {
        // Auxiliary craft (MMSI 98XXXYYYY): the dimension bits hold the mother ship's MMSI.
        m.mothership_mmsi = ubits(s, 132, 30);
    } else {
        m.to_bow = ubits(s, 132, 9);
        m.to_stern = ubits(s, 141, 9);
        m.to_port = ubits(s, 150, 6);
        m.to_starboard = ubits(s, 156, 6);
    }
    return m;
}

function binaryMessage(s: Uint8Array, bitlen: number, m: AisMessage, type: number): AisMessage | number {
    const addressed = bit(s, 38);
    const structured = bit(s, 39);
    const radioBits = type === 26 ? 20 : 0;
    const head = 40 + (structured ? 16 : 0);
    if (bitlen < head + (addressed ? 30 : 0) + radioBits) return FAIL_TOO_SHORT;
    m.addressed = addressed;
    m.structured = structured;
    if (addressed) m.dest_mmsi = ubits(s, 40, 30);
    if (structured) m.app_id = ubits(s, addressed ? 70 : 40, 16);
    // gpsd copies ceil(n/8) bytes from bit `head` (n = bits after the header, radio included for type 26),
    // then shifts them left by 30 bits when addressed: bits past that copy read as zero.
    const copied = bitlen - head - radioBits;
    const zeroFrom = head + 8 * ((copied + 7) >>> 3);
    const start = head + (addressed ? 30 : 0);
    m.data = hexData(s, start, copied - (addressed ? 30 : 0), zeroFrom);
    if (type === 26) m.radio = ubits(s, bitlen - 20, 20);
    return m;
}

function longRange(s: Uint8Array, m: AisMessage): void {
    m.accuracy = bit(s, 38);
    m.raim = bit(s, 39);
    m.status = ubits(s, 40, 4);
    const lon = sbits(s, 44, 18);
    const lat = sbits(s, 62, 17);
    if (lon !== LON10_NA) m.lon = lon / LATLON10_DIV;
    if (lat !== LAT10_NA) m.lat = lat / LATLON10_DIV;
    const speed = ubits(s, 79, 6);
    if (speed !== 63) m.speed = speed;
    const course = ubits(s, 85, 9);
    if (course !== 511) m.course = course;
    m.gnss = bit(s, 94);
}
