/**
 * The normalised domain records every input shape (NMEA via the AIS decoder, JSON events, MarineCadastre
 * CSV rows) is turned into. Units: degrees, knots, metres, epoch milliseconds (UTC). Absent values are
 * `undefined`, never AIS "not available" sentinels.
 */

export type SourceFormat = 'nmea' | 'json' | 'csv';

export type EventTimeSource = 'receiver' | 'record' | 'arrival';

/** Fields every record carries. */
export interface RecordBase {
    mmsi: number;
    /**
     * Event time in epoch ms: the receiver's time for NMEA (tag block `c:`, `$PGHP` header, receiver suffix), the
     * record's own time for CSV/JSON; undefined when the input has none (the ingest then stamps the arrival time).
     */
    eventTime?: number;
    /** Where `eventTime` came from: `receiver` (NMEA receiver stamp), `record` (CSV/JSON time), `arrival` (Event Hub enqueued time). */
    eventTimeSource?: EventTimeSource;
    /** AIS message type when the record came from an AIS message (1..27). */
    msgType?: number;
    /** Receiving station (tag block `s:`, JSON `station`). */
    station?: string;
    format: SourceFormat;
}

/** A position fix: AIS types 1, 2, 3, 9, 18, 19, 27; JSON position events; CSV rows. */
export interface PositionReport extends RecordBase {
    kind: 'position';
    /** Degrees; undefined when the report says "not available" (91 / 181). */
    lat?: number;
    lon?: number;
    /** Speed over ground, knots. */
    sog?: number;
    /** Course over ground, degrees 0..<360. */
    cog?: number;
    /** True heading, degrees 0..359. */
    heading?: number;
    /** Rate of turn, degrees per minute (signed, right positive). */
    rot?: number;
    /** Navigational status code 0..15 (type 1/2/3/27, CSV Status). */
    navStatus?: number;
    /** Position accuracy flag (true = high, < 10 m). */
    accuracy?: boolean;
    /** AIS transceiver class when known. */
    aisClass?: 'A' | 'B';
    /** The UTC second of the report (0..59), from the AIS payload. */
    second?: number;
}

/** Static and voyage data: AIS types 5, 19 (static part), 24 A/B; JSON static events; CSV rows. */
export interface StaticReport extends RecordBase {
    kind: 'static';
    imo?: number;
    callSign?: string;
    name?: string;
    /** AIS ship and cargo type code 0..99. */
    shipType?: number;
    toBow?: number;
    toStern?: number;
    toPort?: number;
    toStarboard?: number;
    /** Overall length and beam in metres (toBow + toStern, toPort + toStarboard when only those are known). */
    length?: number;
    width?: number;
    /** Draught in metres. */
    draught?: number;
    destination?: string;
    /** ETA as AIS gives it, `MM-DDTHH:mmZ` (no year), or full ISO 8601 when the source has it. */
    eta?: string;
    aisClass?: 'A' | 'B';
    /** Type 24 part, when the record came from one. */
    part?: 'A' | 'B';
}

/** Any other decoded AIS message (base station reports, binary messages, safety text, ...), kept as decoded. */
export interface OtherAisMessage extends RecordBase {
    kind: 'other';
    /** The decoded message fields (gpsd field names). */
    fields: Record<string, unknown>;
}

export type VesselRecord = PositionReport | StaticReport | OtherAisMessage;
