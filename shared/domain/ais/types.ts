/**
 * Public contract of the AIS decoder (pure domain code: no I/O, no Azure imports).
 *
 * Decoded messages use gpsd's JSON field names (`type`, `repeat`, `mmsi`, `status`, `turn`, `speed`, `lon`,
 * `lat`, `course`, `heading`, `shipname`, `to_bow`, ...) with gpsd's scaling (degrees, knots, metres), except
 * that AIS "not available" sentinels (lat 91, lon 181, speed 102.3, course 360, heading 511, turn -128, ...)
 * are left out of the object instead of being numbers. See README "Decoder output".
 */

/** Why a line, sentence or message was not decoded. Stable codes: they are written to quarantine. */
export type DecodeReason =
    /** Not a recognisable NMEA AIS sentence (wrong field count, unknown sentence type, empty, ...). */
    | 'NMEA_MALFORMED'
    /** The `*hh` checksum is missing or does not match. */
    | 'NMEA_CHECKSUM'
    /** A field is out of range: fragment count/number, fill bits, sequence id, channel. */
    | 'NMEA_BAD_FIELD'
    /** A line longer than the decoder accepts (see `maxLineLength`). */
    | 'LINE_TOO_LONG'
    /** The NMEA 4 tag block is malformed or its checksum does not match. */
    | 'TAGBLOCK_INVALID'
    /** The payload holds a character outside the AIS 6-bit armouring alphabet. */
    | 'PAYLOAD_BAD_CHAR'
    /** The payload has fewer bits than its message type needs. */
    | 'PAYLOAD_TOO_SHORT'
    /** A fragment arrived without the earlier fragments of its message, or out of a consistent sequence. */
    | 'FRAGMENT_ORPHAN'
    /** A multi-sentence message did not complete within the reassembly window (time or size bound). */
    | 'FRAGMENT_INCOMPLETE'
    /** A message type outside 1..27. */
    | 'UNSUPPORTED_TYPE';

/** An NMEA 4 tag block (`\c:...,s:...,g:...*hh\`). */
export interface TagBlock {
    /** `c:` as epoch milliseconds (10 digits are seconds, 13 digits milliseconds). */
    timestamp?: number;
    /** `s:` source / receiving station. */
    station?: string;
    /** `g:` sentence-in-group, group size, group id. */
    group?: { sentence: number; groupsize: number; id: number };
    /** `d:` destination, `n:` line count, `r:` relative time, `t:` text, and any other key, as given. */
    [key: string]: unknown;
}

/** A decoded AIS message: gpsd field names, scaled, sentinels left out. */
export interface AisMessage {
    type: number;
    repeat: number;
    mmsi: number;
    [field: string]: unknown;
}

/** Where a decode result came from. */
export interface SourceInfo {
    /** The raw lines (sentence with its tag block and any suffix) that made up this result, in arrival order. */
    raw: string[];
    /** Talker id, e.g. `AI`, `BS`, `AB`. */
    talker?: string;
    /** `VDM` (heard from others) or `VDO` (own ship). */
    formatter?: 'VDM' | 'VDO';
    /** Radio channel `A`/`B`/`1`/`2` when given. */
    channel?: string;
    /** The tag block of the first sentence, when present. */
    tagBlock?: TagBlock;
    /** The caller's receive time passed to `push`, in epoch ms. */
    receivedAt?: number;
    /**
     * When the receiver heard the message (epoch ms), from the first sentence, by precedence: the tag block
     * `c:`, then a `$PGHP` header line just before the sentence, then a Unix time ending a receiver suffix
     * after the checksum. Undefined when the line carries none.
     */
    receiverTime?: number;
    /** Which of those `receiverTime` came from. */
    receiverTimeSource?: ReceiverTimeSource;
}

export type ReceiverTimeSource = 'tagblock' | 'pghp' | 'suffix';

export type DecodeEvent =
    | ({ kind: 'message'; message: AisMessage } & SourceInfo)
    /** A message whose type (or whose binary application payload) is not decoded; counted, passed on. */
    | ({ kind: 'unsupported'; type: number; mmsi?: number; detail: string } & SourceInfo)
    | ({ kind: 'error'; reason: DecodeReason; detail: string } & SourceInfo);

export interface DecodeStats {
    /** Lines given to `push` (comments and blank lines included). */
    lines: number;
    /** Lines that parsed as AIS sentences with a good checksum. */
    sentences: number;
    /** Messages decoded (a multi-sentence message counts once). */
    messages: number;
    /** Fragments currently waiting for the rest of their message. */
    fragmentsPending: number;
    checksumFailures: number;
    unsupported: number;
    /** Everything else reported as an error (malformed lines, bad fields, bad payloads, incomplete fragments). */
    malformed: number;
    /**
     * Lines that are not AIS data and not errors, skipped without a report: blank lines, `#` comments, other
     * NMEA sentences (`$GPRMC`, ...), proprietary sentences (`$P...`) and `$PGHP` headers (used for time).
     */
    skipped: number;
}

export interface AisDecoderOptions {
    /** Longest line accepted, in characters (default 1024). Longer lines are reported as LINE_TOO_LONG. */
    maxLineLength?: number;
    /** Most multi-sentence messages waiting at once (default 1024); the oldest is evicted as FRAGMENT_INCOMPLETE. */
    maxPendingMessages?: number;
    /** A pending message older than this (ms, by `receivedAt`) is evicted as FRAGMENT_INCOMPLETE (default 60000). */
    fragmentTimeoutMs?: number;
}
