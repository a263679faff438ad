/**
 * Type 8 binary application payloads decoded in full: DAC 1 / FI 31 (IMO SN.1/Circ.289 meteorological and
 * hydrographic data) and its predecessor DAC 1 / FI 11 (IMO SN/Circ.236). gpsd's field names and scaling.
 * Enumerations (`pressuretend`, `leveltrend`, `preciptype`, `ice`) are numeric codes (gpsd's scaled output
 * prints legends for them instead).
 *
 * Not-available codes are left out of the message (raw values; other reserved values are passed on as gpsd):
 *
 * | field                       | FI 31 raw N/A      | FI 31 output                 | FI 11 raw N/A   | FI 11 output          |
 * |-----------------------------|--------------------|------------------------------|-----------------|-----------------------|
 * | lon / lat                   | 181° / 91°         | deg = raw / 60000            | 181°, 0xFFFFFF / 91°, 0x7FFFFF | deg = raw / 60000 |
 * | day / hour / minute         | 0 / 24 / 60        | + `timestamp` "DDTHH:MMZ"    | 0 / 24 / 60     | same                  |
 * | wspeed, wgust (knots)       | 127                | raw                          | 127             | raw                   |
 * | wdir, wgustdir, cdir*, wavedir, swelldir (deg) | 360, 511 | raw                | 360, 511        | raw                   |
 * | airtemp (°C)                | -1024              | raw / 10 (signed)            | 2047            | (raw - 600) / 10      |
 * | humidity (%)                | 101, 127           | raw                          | 127             | raw                   |
 * | dewpoint (°C)               | 501                | raw / 10 (signed)            | 1023            | (raw - 200) / 10      |
 * | pressure (hPa)              | 511                | raw + 799                    | 511             | raw + 800             |
 * | pressuretend, leveltrend    | 3                  | code                         | 3               | code                  |
 * | visibility (NM)             | 127                | raw / 10 (+ `visgreater`)    | 255             | raw / 10              |
 * | waterlevel (m)              | 4001               | (raw - 1000) / 100           | 511             | (raw - 100) / 10      |
 * | cspeed* (knots)             | 255                | raw / 10                     | 255             | raw / 10              |
 * | cdepth2, cdepth3 (m)        | 31                 | raw                          | 31              | raw                   |
 * | waveheight, swellheight (m) | 255                | raw / 10                     | 255             | raw / 10              |
 * | waveperiod, swellperiod (s) | 63                 | raw                          | 63              | raw                   |
 * | seastate (Beaufort)         | 13, 15             | raw                          | 15              | raw                   |
 * | watertemp (°C)              | 501                | raw / 10 (signed)            | 1023            | (raw - 100) / 10      |
 * | preciptype                  | 7                  | code                         | 7               | code                  |
 * | salinity (‰)                | 510, 511           | raw / 10                     | 511             | raw / 10              |
 * | ice                         | 3                  | code                         | 3               | code                  |
 *
 * FI 31 also treats IMO236's (FI 11) all-ones codes as not available where they are outside FI 31's valid
 * range (direction 511, humidity 127, sea state 15, salinity 511): stations send them (gpsd passes them on).
 * gpsd's own sentinel constants differ in places (FI 31 height 31, watertemp 601, seastate 15, cdepth 301):
 * those cannot occur in the field widths; the table above follows the IMO circulars.
 */
import { bit, sbits, sixbitText, ubits } from './sixbit.js';
import type { AisMessage } from './types.js';

function pad2(n: number): string {
    return n < 10 ? '0' + n : String(n);
}

function dayTime(s: Uint8Array, at: number, m: AisMessage): void {
    const day = ubits(s, at, 5);
    const hour = ubits(s, at + 5, 5);
    const minute = ubits(s, at + 10, 6);
    if (day !== 0) m.day = day;
    if (hour !== 24) m.hour = hour;
    if (minute !== 60) m.minute = minute;
    if (day !== 0 && hour !== 24 && minute !== 60)
        m.timestamp = pad2(day) + 'T' + pad2(hour) + ':' + pad2(minute) + 'Z';
}

/** Unsigned field left out when equal to `na`, else scaled by `div` after subtracting `offset`. */
function put(m: AisMessage, name: string, raw: number, na: number, div: number, offset: number): void {
    if (raw !== na) m[name] = div === 1 ? raw - offset : (raw - offset) / div;
}

/** Directions: 360 is "not available"; 511 (IMO236's code, still sent by FI 31 stations) too. */
function direction(m: AisMessage, name: string, raw: number): void {
    if (raw !== 360 && raw !== 511) m[name] = raw;
}

/** DAC 1 / FI 31, needs 350 bits. */
export function decodeMetHydro31(s: Uint8Array, m: AisMessage): void {
    const lon = sbits(s, 56, 25);
    const lat = sbits(s, 81, 24);
    if (lon !== 181 * 60000) m.lon = lon / 60000;
    if (lat !== 91 * 60000) m.lat = lat / 60000;
    m.accuracy = bit(s, 105);
    dayTime(s, 106, m);
    put(m, 'wspeed', ubits(s, 122, 7), 127, 1, 0);
    put(m, 'wgust', ubits(s, 129, 7), 127, 1, 0);
    direction(m, 'wdir', ubits(s, 136, 9));
    direction(m, 'wgustdir', ubits(s, 145, 9));
    put(m, 'airtemp', sbits(s, 154, 11), -1024, 10, 0);
    const humidity = ubits(s, 165, 7);
    if (humidity !== 127) put(m, 'humidity', humidity, 101, 1, 0);
    put(m, 'dewpoint', sbits(s, 172, 10), 501, 10, 0);
    put(m, 'pressure', ubits(s, 182, 9), 511, 1, -799);
    put(m, 'pressuretend', ubits(s, 191, 2), 3, 1, 0);
    m.visgreater = bit(s, 193);
    put(m, 'visibility', ubits(s, 194, 7), 127, 10, 0);
    put(m, 'waterlevel', ubits(s, 201, 12), 4001, 100, 1000);
    put(m, 'leveltrend', ubits(s, 213, 2), 3, 1, 0);
    put(m, 'cspeed', ubits(s, 215, 8), 255, 10, 0);
    direction(m, 'cdir', ubits(s, 223, 9));
    put(m, 'cspeed2', ubits(s, 232, 8), 255, 10, 0);
    direction(m, 'cdir2', ubits(s, 240, 9));
    put(m, 'cdepth2', ubits(s, 249, 5), 31, 1, 0);
    put(m, 'cspeed3', ubits(s, 254, 8), 255, 10, 0);
    direction(m, 'cdir3', ubits(s, 262, 9));
    put(m, 'cdepth3', ubits(s, 271, 5), 31, 1, 0);
    put(m, 'waveheight', ubits(s, 276, 8), 255, 10, 0);
    put(m, 'waveperiod', ubits(s, 284, 6), 63, 1, 0);
    direction(m, 'wavedir', ubits(s, 290, 9));
    put(m, 'swellheight', ubits(s, 299, 8), 255, 10, 0);
    put(m, 'swellperiod', ubits(s, 307, 6), 63, 1, 0);
    direction(m, 'swelldir', ubits(s, 313, 9));
    const seastate = ubits(s, 322, 4);
    if (seastate !== 15) put(m, 'seastate', seastate, 13, 1, 0);
    put(m, 'watertemp', sbits(s, 326, 10), 501, 10, 0);
    put(m, 'preciptype', ubits(s, 336, 3), 7, 1, 0);
    const salinity = ubits(s, 339, 9);
    if (salinity !== 511) put(m, 'salinity', salinity, 510, 10, 0);
    put(m, 'ice', ubits(s, 348, 2), 3, 1, 0);
}

/** DAC 1 / FI 11, needs 346 bits. */
export function decodeMetHydro11(s: Uint8Array, m: AisMessage): void {
    const lat = sbits(s, 56, 24);
    const lon = sbits(s, 80, 25);
    if (lat !== 91 * 60000 && lat !== 0x7fffff) m.lat = lat / 60000;
    if (lon !== 181 * 60000 && lon !== 0xffffff) m.lon = lon / 60000;
    dayTime(s, 105, m);
    put(m, 'wspeed', ubits(s, 121, 7), 127, 1, 0);
    put(m, 'wgust', ubits(s, 128, 7), 127, 1, 0);
    direction(m, 'wdir', ubits(s, 135, 9));
    direction(m, 'wgustdir', ubits(s, 144, 9));
    put(m, 'airtemp', ubits(s, 153, 11), 2047, 10, 600);
    put(m, 'humidity', ubits(s, 164, 7), 127, 1, 0);
    put(m, 'dewpoint', ubits(s, 171, 10), 1023, 10, 200);
    put(m, 'pressure', ubits(s, 181, 9), 511, 1, -800);
    put(m, 'pressuretend', ubits(s, 190, 2), 3, 1, 0);
    put(m, 'visibility', ubits(s, 192, 8), 255, 10, 0);
    put(m, 'waterlevel', ubits(s, 200, 9), 511, 10, 100);
    put(m, 'leveltrend', ubits(s, 209, 2), 3, 1, 0);
    put(m, 'cspeed', ubits(s, 211, 8), 255, 10, 0);
    direction(m, 'cdir', ubits(s, 219, 9));
    put(m, 'cspeed2', ubits(s, 228, 8), 255, 10, 0);
    direction(m, 'cdir2', ubits(s, 236, 9));
    put(m, 'cdepth2', ubits(s, 245, 5), 31, 1, 0);
    put(m, 'cspeed3', ubits(s, 250, 8), 255, 10, 0);
    direction(m, 'cdir3', ubits(s, 258, 9));
    put(m, 'cdepth3', ubits(s, 267, 5), 31, 1, 0);
    put(m, 'waveheight', ubits(s, 272, 8), 255, 10, 0);
    put(m, 'waveperiod', ubits(s, 280, 6), 63, 1, 0);
    direction(m, 'wavedir', ubits(s, 286, 9));
    put(m, 'swellheight', ubits(s, 295, 8), 255, 10, 0);
    put(m, 'swellperiod', ubits(s, 303, 6), 63, 1, 0);
    direction(m, 'swelldir', ubits(s, 309, 9));
    put(m, 'seastate', ubits(s, 318, 4), 15, 1, 0);
    put(m, 'watertemp', ubits(s, 322, 10), 1023, 10, 100);
    put(m, 'preciptype', ubits(s, 332, 3), 7, 1, 0);
    put(m, 'salinity', ubits(s, 335, 9), 511, 10, 0);
    put(m, 'ice', ubits(s, 344, 2), 3, 1, 0);
}

// ------------------------------------------------------------------------------------------------------------
// IMO SN.1/Circ.289 (DAC 1) and regional application messages that gpsd decodes, with gpsd's field names and
// gpsd's printed values (`gpsdecode -j`). Unlike the met/hydro messages above, values are passed on as gpsd
// prints them, "not available" codes included (gpsd has no sentinels for these): a timestamp is gpsd's
// "MM-DDTHH:MMZ" string of the raw fields, positions are degrees (raw / 60000, 1/1000 minute), speeds knots.
// Enumeration legends (`*_text`) are not printed.

function mmddhhmm(month: number, day: number, hour: number, minute: number): string {
    return pad2(month) + '-' + pad2(day) + 'T' + pad2(hour) + ':' + pad2(minute) + 'Z';
}

function dateAt(s: Uint8Array, at: number): string {
    return mmddhhmm(ubits(s, at, 4), ubits(s, at + 4, 5), ubits(s, at + 9, 5), ubits(s, at + 14, 6));
}

/** gpsd's `endchars`: the six-bit text from `start` to the end of the payload. */
function endText(s: Uint8Array, bitlen: number, start: number): string {
    return bitlen <= start ? '' : sixbitText(s, start, ((bitlen - start) / 6) | 0);
}

/** Tidal window entries (FI 14: lat before lon, 27/28 bits, speed 7 bits; FI 32: lon before lat, 25/24, 8). */
function tidals(s: Uint8Array, bitlen: number, fi: 14 | 32): Record<string, number>[] {
    const size = fi === 14 ? 93 : 88;
    const out: Record<string, number>[] = [];
    // gpsd's loop bound (an element may start at the very end and read zeros); gpsd keeps at most 3.
    for (let u = 0; 97 + size * u <= bitlen && u < 3; u++) {
        const a = 97 + size * u;
        let lat: number;
        let lon: number;
        let t: number;
        if (fi === 14) {
            lat = sbits(s, a, 27);
            lon = sbits(s, a + 27, 28);
            t = a + 55;
        } else {
            lon = sbits(s, a, 25);
            lat = sbits(s, a + 25, 24);
            t = a + 49;
        }
        out.push({
            lon: lon / 60000,
            lat: lat / 60000,
            from_hour: ubits(s, t, 5),
            from_min: ubits(s, t + 5, 6),
            to_hour: ubits(s, t + 11, 5),
            to_min: ubits(s, t + 16, 6),
            cdir: ubits(s, t + 22, 9),
            cspeed: ubits(s, t + 31, fi === 14 ? 7 : 8) / 10,
        });
    }
    return out;
}

/**
 * Type 6 application payloads gpsd decodes (data from bit 88): DAC 1 FI 12 (dangerous cargo, IMO236), 14 (tidal
 * window, IMO236), 18 (clearance time to enter port), 30 (text), 32 (tidal window); DAC 235/250 FI 10 (GLA AtoN
 * monitoring, 136 bits). True when decoded (the caller then prints no `data`).
 */
export function decodeAddressedApp(
    s: Uint8Array,
    bitlen: number,
    dac: number,
    fid: number,
    m: AisMessage,
): boolean {
    if ((dac === 235 || dac === 250) && fid === 10) {
        if (bitlen !== 136) return false;
        m.off_pos = bit(s, 131);
        m.alarm = bit(s, 122);
        m.stat_ext = ubits(s, 123, 8);
        // volts, 0.05 V steps (rounded to the step so 274 gives 13.7, not 13.700000000000001)
        m.ana_int = Math.round(ubits(s, 88, 10) * 5) / 100;
        m.ana_ext1 = Math.round(ubits(s, 98, 10) * 5) / 100;
        m.ana_ext2 = Math.round(ubits(s, 108, 10) * 5) / 100;
        m.racon = ubits(s, 118, 2);
        m.light = ubits(s, 120, 2);
        return true;
    }
    if (dac !== 1) return false;
    switch (fid) {
        case 12:
            m.lastport = sixbitText(s, 88, 5);
            m.departure = dateAt(s, 118);
            m.nextport = sixbitText(s, 138, 5);
            m.eta = dateAt(s, 168);
            m.dangerous = sixbitText(s, 188, 20);
            m.imdcat = sixbitText(s, 308, 4);
            m.unid = ubits(s, 332, 13);
            m.amount = ubits(s, 345, 10);
            m.unit = ubits(s, 355, 2);
            return true;
        case 14:
            m.month = ubits(s, 88, 4);
            m.day = ubits(s, 92, 5);
            m.tidals = tidals(s, bitlen, 14);
            return true;
        case 18:
            m.linkage = ubits(s, 88, 10);
            m.arrival = dateAt(s, 98);
            m.portname = sixbitText(s, 118, 20);
            m.destination = sixbitText(s, 238, 5);
            m.lon = sbits(s, 268, 25) / 60000;
            m.lat = sbits(s, 293, 24) / 60000;
            return true;
        case 30:
            m.linkage = ubits(s, 88, 10);
            m.text = endText(s, bitlen, 98);
            return true;
        case 32:
            m.month = ubits(s, 88, 4);
            m.day = ubits(s, 92, 5);
            m.tidals = tidals(s, bitlen, 32);
            return true;
        default:
            return false;
    }
}

/** Hazard codes 0..5 (0-3 blue cones/lights, 4 B-flag, 5 unknown): a larger value is not this message. */
const INLAND_HAZARD_MAX = 5;

/**
 * Type 8 DAC 200 FI 10: inland ship static and voyage related data (European inland AIS, 168 bits exactly, as
 * gpsd). gpsd's names and raw units: `vin` (ENI number), `length` and `beam` (decimetres), `shiptype` (ERI ship
 * type code, e.g. 8010 motor freighter), `hazard` (blue cones), `draught` (centimetres), `loaded` (1 loaded,
 * 2 unloaded), quality flags `speed_q`, `course_q`, `heading_q`. False (raw `data` then) otherwise.
 */
export function decodeInlandStatic(s: Uint8Array, bitlen: number, m: AisMessage): boolean {
    if (bitlen !== 168) return false;
    const hazard = ubits(s, 141, 3);
    if (hazard > INLAND_HAZARD_MAX) return false;
    m.vin = sixbitText(s, 56, 8);
    m.length = ubits(s, 104, 13);
    m.beam = ubits(s, 117, 10);
    m.shiptype = ubits(s, 127, 14);
    m.hazard = hazard;
    m.draught = ubits(s, 144, 11);
    m.loaded = ubits(s, 155, 2);
    m.speed_q = bit(s, 157);
    m.course_q = bit(s, 158);
    m.heading_q = bit(s, 159);
    return true;
}
