/**
 * NMEA framing for the local sources: checksums, the MMSI of an AIS payload, line splitting across chunk
 * boundaries and grouping the fragments of one multi-sentence message into one event. This is deliberately
 * not the AIS decoder: it only reads what routing needs (fragment fields and the MMSI); decoding and
 * validation happen in the pipeline.
 */
import { type SourceEvent, UNKNOWN_PARTITION_KEY } from './types.js';

/** XOR of the character codes of `text`, as two upper-case hex digits (the NMEA `*hh` checksum). */
export function nmeaChecksum(text: string): string {
    let sum = 0;
    for (let i = 0; i < text.length; i++) sum ^= text.charCodeAt(i);
    return sum.toString(16).toUpperCase().padStart(2, '0');
}

/** Value 0..63 of one armoured payload character, or -1 outside the AIS armouring alphabet. */
export function sixbitValue(ch: number): number {
    if (ch >= 48 && ch <= 87) return ch - 48;
    if (ch >= 96 && ch <= 119) return ch - 56;
    return -1;
}

/**
 * The MMSI (bits 8..37) of an armoured AIS payload, or undefined when the payload is too short (fewer than
 * 38 bits) or holds a character outside the armouring alphabet.
 */
export function mmsiFromPayload(payload: string): number | undefined {
    if (payload.length < 7) return undefined;
    let bits = 0;
    for (let i = 0; i < 7; i++) {
        const v = sixbitValue(payload.charCodeAt(i));
        if (v < 0) return undefined;
        bits = bits * 64 + v; // 42 bits fit exactly in a double
    }
    // bits 0..41 are in `bits`, most significant first; the MMSI is bits 8..37, so drop the low 4 bits.
    return Math.floor(bits / 16) % 2 ** 30;
}

/** The fields of one AIS sentence that routing needs. */
export interface AisSentenceInfo {
    /** Fragment count (field 1). */
    count: number;
    /** Fragment number, 1-based (field 2). */
    num: number;
    /** Sequential message id (field 3), '' for single-sentence messages. */
    seqId: string;
    channel: string;
    payload: string;
    /** Tag-block `g:` (sentence, group size, id) when present. */
    group?: { sentence: number; size: number; id: string };
}

const SENTENCE = /^[!$][A-Z]{2}VD[MO],(\d),(\d),(\d?),([^,]*),([^,]*),/;

/**
 * Reads the fragment fields of an `!AIVDM`/`!AIVDO` line (with optional NMEA 4 tag blocks in front and any
 * suffix after the checksum). Undefined when the line is not an AIS sentence. The checksum is not checked
 * here: a corrupted line still belongs with its message and the decoder reports it.
 */
export function parseAisSentence(line: string): AisSentenceInfo | undefined {
    let rest = line;
    let group: AisSentenceInfo['group'];
    while (rest.startsWith('\\')) {
        const end = rest.indexOf('\\', 1);
        if (end < 0) return undefined;
        const fields = rest.slice(1, end).replace(/\*[0-9A-Fa-f]{2}$/, '');
        const g = /(?:^|,)g:(\d+)-(\d+)-(\w+)/.exec(fields);
        // NMEA 4: only the first fragment carries `s:` (and `c:`); the group id alone ties the fragments together.
        if (g) group = { sentence: Number(g[1]), size: Number(g[2]), id: g[3]! };
        rest = rest.slice(end + 1);
    }
    const m = SENTENCE.exec(rest);
    if (!m) return undefined;
    const info: AisSentenceInfo = {
        count: Number(m[1]),
        num: Number(m[2]),
        seqId: m[3]!,
        channel: m[4]!,
        payload: m[5]!,
    };
    if (group) info.group = group;
    return info;
}

/** Why the grouper left a line out of every event (counted in `FragmentGrouper.skippedByReason`). */
export type SkippedLineReason = 'NON_AIS_SENTENCE' | 'PROPRIETARY_SENTENCE' | 'PGHP_HEADER';

/**
 * A line that is not an AIS sentence but carries context for the next one: a `$PGHP` header (receiver time)
 * or a tag block alone on its line. Such lines travel in the event of the sentence that follows them.
 */
export function isPrefixLine(line: string): boolean {
    if (line.startsWith('$PGHP,')) return true;
    return line.length > 2 && line.charCodeAt(0) === 92 && line.indexOf('\\', 1) === line.length - 1;
}

/** The reason a line that is not an AIS sentence (`$GPRMC`, `$PFEC`, ...) is skipped; undefined for anything else. */
export function otherSentenceReason(line: string): SkippedLineReason | undefined {
    let rest = line;
    while (rest.startsWith('\\')) {
        const end = rest.indexOf('\\', 1);
        if (end < 0) return undefined;
        rest = rest.slice(end + 1);
    }
    const m = /^[!$]([A-Z0-9]{2,10}),/.exec(rest);
    if (!m || /^..VD[MO]$/.test(m[1]!)) return undefined;
    if (m[1] === 'PGHP') return 'PGHP_HEADER';
    return m[1]!.startsWith('P') ? 'PROPRIETARY_SENTENCE' : 'NON_AIS_SENTENCE';
}

/** True for lines every source skips: blank lines and `#` comments. */
export function isSkippable(line: string): boolean {
    const t = line.trim();
    return t === '' || t.startsWith('#');
}

/**
 * Splits a stream of text chunks into lines (`\n`, `\r\n` or `\r`), keeping a partial last line until its end
 * arrives. Blank lines are dropped.
 */
export class LineSplitter {
    #rest = '';

    constructor(private readonly maxLineLength = 8192) {}

    push(chunk: string): string[] {
        const parts = (this.#rest + chunk).split(/\r\n|\n|\r/);
        this.#rest = parts.pop() ?? '';
        const lines = parts.filter((l) => l.trim() !== '');
        if (this.#rest.length > this.maxLineLength) {
            // A runaway line (binary garbage, no newlines): pass it on so it is reported, and keep memory bounded.
            lines.push(this.#rest);
            this.#rest = '';
        }
        return lines;
    }

    /** The partial line held back, if any, and forget it. */
    flush(): string[] {
        const rest = this.#rest;
        this.#rest = '';
        return rest.trim() === '' ? [] : [rest];
    }

    get pending(): boolean {
        return this.#rest !== '';
    }
}

interface PendingGroup {
    lines: string[];
    next: number;
    total: number;
    partitionKey: string;
    startedAt: number;
}

export interface FragmentGrouperOptions {
    /** Application properties put on every event (e.g. `{ format: 'nmea', source: 'replay' }`). */
    properties?: Record<string, string>;
    /** Most messages waiting for fragments at once; the oldest is passed on incomplete (default 256). */
    maxPending?: number;
    /** Clock for `flushOlderThan` (default `Date.now`). */
    now?: () => number;
}

/**
 * Turns NMEA lines into events, one per message: a multi-sentence message's fragments are joined with `\n`
 * into one body, so they always travel together (one partition, one batch). Fragments are matched by
 * tag-block `g:` group id when present, else by (fragment count, sequence id, channel), in arrival order.
 * Nothing is dropped: an incomplete or out-of-order fragment run is passed on as it is, and the decoder in
 * the pipeline reports it.
 */
export class FragmentGrouper {
    readonly #pending = new Map<string, PendingGroup>();
    /** Lines left out of every event, by reason (other NMEA sentences; `$PGHP` headers with no sentence after). */
    readonly skippedByReason: Partial<Record<SkippedLineReason, number>> = {};
    /** `$PGHP` headers and lone tag blocks waiting for the sentence they belong to. */
    #prefix: string[] = [];
    readonly #properties: Record<string, string> | undefined;
    readonly #maxPending: number;
    readonly #now: () => number;

    constructor(options: FragmentGrouperOptions = {}) {
        this.#properties = options.properties;
        this.#maxPending = options.maxPending ?? 256;
        this.#now = options.now ?? Date.now;
    }

    /** Feed one line (comments and blank lines are skipped); returns the events completed by it. */
    push(rawLine: string): SourceEvent[] {
        const line = rawLine.trim();
        if (isSkippable(line)) return [];
        if (isPrefixLine(line)) {
            this.#prefix.push(line);
            return [];
        }
        const info = parseAisSentence(line);
        const out: SourceEvent[] = [];
        if (!info) {
            const reason = otherSentenceReason(line);
            if (reason !== undefined) {
                // Not AIS data and not an error: counted, never an event of its own (it would inflate the counts).
                this.skippedByReason[reason] = (this.skippedByReason[reason] ?? 0) + 1;
                this.#dropPrefix();
                return out;
            }
            out.push(this.#event(this.#withPrefix(line), UNKNOWN_PARTITION_KEY));
            return out;
        }
        const lines = this.#withPrefix(line);
        const grouped = info.group && info.group.size > 1;
        const total = grouped ? info.group!.size : info.count;
        const index = grouped ? info.group!.sentence : info.num;
        if (total <= 1) {
            out.push(this.#event(lines, keyOf(info.payload)));
            return out;
        }
        const key = grouped ? `g:${info.group!.id}` : `n:${info.count},${info.seqId},${info.channel}`;
        const pending = this.#pending.get(key);
        if (index === 1) {
            if (pending) out.push(this.#close(key, pending));
            this.#pending.set(key, {
                lines,
                next: 2,
                total,
                partitionKey: keyOf(info.payload),
                startedAt: this.#now(),
            });
            if (this.#pending.size > this.#maxPending) {
                const [oldestKey, oldest] = this.#pending.entries().next().value!;
                out.push(this.#close(oldestKey, oldest));
            }
        } else if (pending && pending.next === index && pending.total === total) {
            pending.lines.push(...lines);
            pending.next++;
            if (index === total) out.push(this.#close(key, pending));
        } else {
            if (pending) out.push(this.#close(key, pending));
            out.push(this.#event(lines, UNKNOWN_PARTITION_KEY));
        }
        return out;
    }

    #withPrefix(line: string): string[] {
        if (this.#prefix.length === 0) return [line];
        const lines = this.#prefix;
        this.#prefix = [];
        lines.push(line);
        return lines;
    }

    #dropPrefix(): void {
        for (const l of this.#prefix) {
            if (l.startsWith('$PGHP'))
                this.skippedByReason.PGHP_HEADER = (this.skippedByReason.PGHP_HEADER ?? 0) + 1;
            else this.skippedByReason.NON_AIS_SENTENCE = (this.skippedByReason.NON_AIS_SENTENCE ?? 0) + 1;
        }
        this.#prefix = [];
    }

    /** Pass on every incomplete message (end of input). */
    flush(): SourceEvent[] {
        this.#dropPrefix();
        return [...this.#pending.entries()].map(([key, group]) => this.#close(key, group));
    }

    /** Pass on incomplete messages that started more than `ageMs` ago (live feeds). */
    flushOlderThan(ageMs: number): SourceEvent[] {
        const limit = this.#now() - ageMs;
        return [...this.#pending.entries()]
            .filter(([, group]) => group.startedAt <= limit)
            .map(([key, group]) => this.#close(key, group));
    }

    get pendingCount(): number {
        return this.#pending.size;
    }

    #close(key: string, group: PendingGroup): SourceEvent {
        this.#pending.delete(key);
        return this.#event(group.lines, group.partitionKey);
    }

    #event(lines: string[], partitionKey: string): SourceEvent {
        const event: SourceEvent = { body: lines.join('\n'), partitionKey };
        if (this.#properties) event.properties = { ...this.#properties };
        return event;
    }
}

function keyOf(payload: string): string {
    const mmsi = mmsiFromPayload(payload);
    return mmsi === undefined ? UNKNOWN_PARTITION_KEY : String(mmsi);
}
