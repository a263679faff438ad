/**
 * The common shape of every local event source (simulator, file replay, network listener). The local trigger
 * host (`local/host.ts`) and `EventHubSender` consume `SourceEvent`s; one event is one input record:
 * one NMEA message (all its fragments joined with `\n`), one JSON line, or one CSV data row.
 */

export interface SourceEvent {
    /** The record text. NMEA: the message's lines (tag blocks and suffixes kept) joined with `\n`. */
    body: string;
    /** The MMSI as a decimal string when known, else a stable key (`UNKNOWN_PARTITION_KEY`). */
    partitionKey: string;
    /** Event Hub application properties (`format`, `source`, ...). */
    properties?: Record<string, string>;
    /** The event hub it goes to; default the AIS hub (`ais-raw`). A replayed maintenance log names its own. */
    hub?: string;
}

/**
 * Receives events from a source. A consumer may return a promise: finite sources (replay) wait for it before
 * reading further, which is how a slow consumer pushes back.
 */
export type EmitFn = (events: SourceEvent[]) => void | Promise<void>;

export interface EventSource {
    name: string;
    start(emit: EmitFn): Promise<void>;
    stop(): Promise<void>;
    /** Resolves when a finite source (replay) has emitted everything. */
    done?: Promise<void>;
}

/** Partition key for records whose MMSI cannot be read (garbage lines, non-AIS sentences, bad JSON). */
export const UNKNOWN_PARTITION_KEY = 'unknown';
