/** The AIS decoder: NMEA AIVDM/AIVDO lines in, gpsd-style decoded messages and accounted errors out. */
export { AisDecoder, type AisDecoderStats, decodeLines } from './decoder.js';
export { parseTagBlock } from './tagblock.js';
export type {
    AisDecoderOptions,
    AisMessage,
    DecodeEvent,
    DecodeReason,
    DecodeStats,
    SourceInfo,
    TagBlock,
} from './types.js';
