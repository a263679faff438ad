/**
 * Test files in the shapes real AIS feeds arrive in, written from the specifications (not copied from any
 * archive), with correct NMEA checksums:
 * - `satelliteFeed`: NMEA 4 tag blocks (IEC 61162-1 ed. 4 / 61162-450): every sentence has a tag block; a
 *   two-sentence message carries `g:1-2-<id>,s:<station>,c:<time>` on its first fragment and only `g:2-2-<id>`
 *   on the second; two groups interleave with the same NMEA sequence id and an empty channel.
 * - `uscgFeed`: USCG / NAIS archive lines: `!AIVDM...*hh,s<rssi>,d<dBm>,T<secs>,x<count>,r<station>,<unix time>`.
 * - `dmaFeed`: Gatehouse `$PGHP,1,<y>,<m>,<d>,<h>,<mi>,<s>,<ms>,<country>,<region>,<pss>,<online>,<cc>*hh` header
 *   before every sentence (Danish Maritime Authority archives), with a `$GPRMC` from the receiver's own GPS.
 * - `foreignCsv`: a CSV with 139 columns (another schema than MarineCadastre's 17).
 * - `marineCadastreCsv`: MarineCadastre rows with static fields.
 */
import {
    BitWriter,
    type EncodableMessage,
    encodePayload,
    toSentences,
} from '../../local/simulator/aisEncoder.js';
import { nmeaChecksum } from '../../local/sources/nmea.js';

export const SAT_TIME = Date.UTC(2021, 10, 1, 1, 58, 13); // c:1635731893
export const USCG_TIME = 1325394060_000; // 2012-01-01T05:01:00Z
export const DMA_TIME = Date.UTC(2008, 5, 10, 23, 59, 59, 935);

export const SHIP_A = 257000001;
export const SHIP_B = 257000002;
export const SHIP_C = 366000003;
export const SHIP_D = 219000004;

function tag(body: string): string {
    return `\\${body}*${nmeaChecksum(body)}\\`;
}

function sentences(m: EncodableMessage, opts: { channel?: string; seqId?: number } = {}): string[] {
    const { payload, fillBits } = encodePayload(m);
    return toSentences(payload, fillBits, { channel: opts.channel ?? 'A', seqId: opts.seqId ?? 2 });
}

const STATIC_A: EncodableMessage & { type: 5 } = {
    type: 5,
    mmsi: SHIP_A,
    imo: 9134270,
    callsign: 'OZAB2',
    shipname: 'NORDIC STAR',
    shiptype: 70,
    to_bow: 100,
    to_stern: 20,
    to_port: 10,
    to_starboard: 10,
    draught: 7.5,
    destination: 'AARHUS',
};
const STATIC_B: EncodableMessage & { type: 5 } = {
    ...STATIC_A,
    mmsi: SHIP_B,
    imo: 9074729,
    callsign: 'OZAB3',
    shipname: 'BALTIC WIND',
};

/** Strip the channel (satellite feeds often leave it empty). */
function noChannel(s: string): string {
    const f = s.slice(1, s.indexOf('*')).split(',');
    f[4] = '';
    const body = f.join(',');
    return `!${body}*${nmeaChecksum(body)}`;
}

export function satelliteFeed(): string[] {
    const a = sentences(STATIC_A, { seqId: 2 }).map(noChannel);
    const b = sentences(STATIC_B, { seqId: 2 }).map(noChannel);
    const t = Math.floor(SAT_TIME / 1000);
    const pos = (mmsi: number, dt: number, lat: number): string =>
        tag(`s:41925,c:${t + dt}`) +
        noChannel(sentences({ type: 1, mmsi, lat, lon: 10.5, speed: 10, course: 90, heading: 90 })[0]!);
    return [
        tag(`g:1-2-3454,s:41925,c:${t}`) + a[0],
        tag(`g:1-2-3455,s:41925,c:${t + 1}`) + b[0], // interleaved: same sequence id 2, same (empty) channel
        tag('g:2-2-3454') + a[1],
        tag('g:2-2-3455') + b[1],
        pos(SHIP_A, 10, 55.0),
        pos(SHIP_B, 11, 55.5),
        pos(SHIP_A, 70, 55.001),
    ];
}

/** A type 1 report with raw coordinates as given (the encoder clamps to the valid range; real transmitters do not). */
function rawPosition(mmsi: number, lat: number, lon: number): string {
    const w = new BitWriter()
        .uint(1, 6)
        .uint(0, 2)
        .uint(mmsi, 30)
        .uint(0, 4)
        .int(-128, 8)
        .uint(0, 10)
        .uint(0, 1)
        .int(Math.round(lon * 600000), 28)
        .int(Math.round(lat * 600000), 27)
        .uint(3600, 12)
        .uint(511, 9)
        .uint(60, 6)
        .uint(0, 2)
        .uint(0, 3)
        .uint(0, 1)
        .uint(0, 19);
    const { payload, fillBits } = w.armour();
    return toSentences(payload, fillBits)[0]!;
}

export function uscgFeed(): string[] {
    const suffix = (t: number): string =>
        `,s28089,d-100,T38.91260690,x201,r003669945,${Math.floor(t / 1000)}`;
    const line = (m: EncodableMessage, t: number): string => sentences(m)[0]! + suffix(t);
    return [
        line(
            { type: 1, mmsi: SHIP_C, lat: 40.5, lon: -73.9, speed: 12.3, course: 45, heading: 45 },
            USCG_TIME,
        ),
        line(
            { type: 1, mmsi: SHIP_C, lat: 40.501, lon: -73.899, speed: 12.3, course: 45, heading: 45 },
            USCG_TIME + 10_000,
        ),
        // out of range (not the "not available" codes): INVALID_COORDINATES
        rawPosition(SHIP_C + 1, -101.5, 200.2) + suffix(USCG_TIME + 20_000),
        // 91 / 181 = not available: POSITION_UNAVAILABLE
        rawPosition(SHIP_C + 2, 91, 181) + suffix(USCG_TIME + 30_000),
    ];
}

function pghp(t: number): string {
    const d = new Date(t);
    const body = `PGHP,1,${d.getUTCFullYear()},${d.getUTCMonth() + 1},${d.getUTCDate()},${d.getUTCHours()},${d.getUTCMinutes()},${d.getUTCSeconds()},${d.getUTCMilliseconds()},219,219,2190047,1,12`;
    return `$${body}*${nmeaChecksum(body)}`;
}

export function dmaFeed(): string[] {
    const s = sentences({ ...STATIC_A, mmsi: SHIP_D, shipname: 'DANA' }, { seqId: 5 });
    const rmcBody = 'GPRMC,235959,A,5540.123,N,01230.456,E,000.0,000.0,100608,,,A';
    return [
        pghp(DMA_TIME),
        sentences({ type: 1, mmsi: SHIP_D, lat: 55.67, lon: 12.5, speed: 5, course: 180, heading: 180 })[0]!,
        `$${rmcBody}*${nmeaChecksum(rmcBody)}`,
        pghp(DMA_TIME + 1000),
        s[0]!,
        pghp(DMA_TIME + 1000),
        s[1]!,
        pghp(DMA_TIME + 60_000),
        sentences({ type: 1, mmsi: SHIP_D, lat: 55.671, lon: 12.5, speed: 5, course: 180, heading: 180 })[0]!,
    ];
}

export const MARINECADASTRE_HEADER =
    'MMSI,BaseDateTime,LAT,LON,SOG,COG,Heading,VesselName,IMO,CallSign,VesselType,Status,Length,Width,Draft,Cargo,TransceiverClass';

export function marineCadastreCsv(): string[] {
    return [
        MARINECADASTRE_HEADER,
        '367000005,2023-01-01T00:00:01,29.90000,-89.90000,10.1,90.0,90,GULF TRADER,IMO9134270,WDA1234,70,0,120,20,7.5,70,A',
        '367000005,2023-01-01T00:01:01,29.90100,-89.89900,10.1,90.0,90,GULF TRADER,IMO9134270,WDA1234,70,0,120,20,7.5,70,A',
    ];
}

/** A CSV of another schema: 139 columns (e.g. a full-feature export), numeric first column. */
export function foreignCsv(): string[] {
    const header = ['mmsi', 'timestamp_utc', 'latitude', 'longitude'];
    for (let i = header.length; i < 139; i++) header.push(`col_${i}`);
    const row = (mmsi: number): string =>
        [String(mmsi), '2023-01-01 00:00:01', '29.9', '-89.9', ...Array.from({ length: 135 }, () => '')].join(
            ',',
        );
    return [header.join(','), row(367000006), row(367000007)];
}

export const TAG_TIME = Date.UTC(2025, 11, 1); // c:1764547200
export const TAG_SHIPS = [244000001, 244000002, 244000003, 244000004, 244000005, 244000006] as const;

/**
 * NMEA 4 tag blocks in the other orders IEC 61162-1 allows (the fields of a tag block are in any order): `g:` last,
 * in the middle and first; `c:` in seconds and in milliseconds; `s:` only on the second fragment; two groups with
 * the same sequence id whose second fragments come in the other order; a tag block on its own line before each
 * fragment; and single-sentence reports from base station (`!BSVDM`) and AIS station (`!ABVDM`) talkers.
 * 6 type 5 messages and 4 positions: 10 messages from 16 sentences on 18 lines.
 */
export function tagOrderFeed(): string[] {
    const t = Math.floor(TAG_TIME / 1000);
    const [a, b, c, d, e, f] = TAG_SHIPS.map((mmsi, i) =>
        sentences(
            { ...STATIC_A, mmsi, shipname: `TAG ORDER ${i + 1}`, callsign: `TAG${i + 1}` },
            { seqId: i < 3 ? 1 : i < 5 ? 3 : 4 },
        ),
    ) as [string[], string[], string[], string[], string[], string[]];
    const pos = (mmsi: number, lat: number, talker = 'AIVDM'): string => {
        const { payload, fillBits } = encodePayload({
            type: 1,
            mmsi,
            lat,
            lon: 4.1,
            speed: 10,
            course: 90,
            heading: 90,
        });
        return toSentences(payload, fillBits, { talker })[0]!;
    };
    return [
        tag(`s:SAT1,c:${t},g:1-2-101`) + a[0],
        tag('g:2-2-101') + a[1],
        tag(`c:${t + 1},g:1-2-102,s:SAT1`) + b[0],
        tag('g:2-2-102') + b[1],
        tag(`g:1-2-103,c:${(t + 2) * 1000}`) + c[0], // c: in milliseconds
        tag('g:2-2-103,s:SAT1') + c[1], // s: on the second fragment only
        tag(`g:1-2-104,s:SAT2,c:${t + 3}`) + noChannel(d[0]!),
        tag(`g:1-2-105,s:SAT2,c:${t + 4}`) + noChannel(e[0]!),
        tag('g:2-2-105') + noChannel(e[1]!),
        tag('g:2-2-104') + noChannel(d[1]!),
        tag(`g:1-2-106,s:SAT3,c:${t + 5}`), // tag blocks on their own lines
        f[0]!,
        tag('g:2-2-106'),
        f[1]!,
        tag(`s:SAT1,c:${t + 10}`) + pos(TAG_SHIPS[0], 51.9),
        tag(`c:${(t + 70) * 1000},s:SAT1`) + pos(TAG_SHIPS[0], 51.901),
        tag(`s:SAT1,c:${t + 11}`) + pos(TAG_SHIPS[1], 52.0, 'BSVDM'),
        tag(`s:SAT1,c:${t + 12}`) + pos(TAG_SHIPS[2], 52.1, 'ABVDM'),
    ];
}

/** MarineCadastre rows with positions no receiver could have fixed: out of range, and the 91 / 181 "not available". */
export function marineCadastreBadPositions(): string[] {
    return [
        MARINECADASTRE_HEADER,
        '367000008,2023-01-01T00:00:01,-101.50000,200.20000,10.1,90.0,90,OUT OF RANGE,,,70,0,120,20,7.5,70,A',
        '367000009,2023-01-01T00:00:01,91.00000,181.00000,10.1,90.0,511,NOT AVAILABLE,,,70,0,,,,,B',
    ];
}
