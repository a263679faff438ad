/** The AIS decoder: NMEA AIVDM/AIVDO lines in, gpsd-style decoded messages and accounted errors out. */
export {
    AisDecoder,
    type AisDecoderState,
    type AisDecoderStats,
    decodeLines,
    pghpTime,
    type SkipReason,
    suffixTime,
} from './decoder.js';
export { parseTagBlock } from './tagblock.js';
export type {
    AisDecoderOptions,
    AisMessage,
    DecodeEvent,
    DecodeReason,
    DecodeStats,
    ReceiverTimeSource,
    SourceInfo,
    TagBlock,
} from './types.js';
