/**
 * Replays files into the pipeline: NMEA (tag blocks and receiver suffixes kept), JSON lines, MarineCadastre
 * CSV. The format is sniffed per file from its first non-blank, non-comment line. Files are streamed line by
 * line (`node:readline`; `.gz` is gunzipped), so size does not matter. One NMEA message (all its fragments),
 * one JSON line or one CSV data row = one event.
 */
import { createReadStream } from 'node:fs';
import { basename } from 'node:path';
import { createInterface, type Interface } from 'node:readline';
import type { Readable } from 'node:stream';
import { setImmediate as yieldToLoop, setTimeout as sleep } from 'node:timers/promises';
import { createGunzip } from 'node:zlib';

import { csvSchemaProblem, isCsvHeader } from '../../shared/domain/formats/csv.js';
import { isMaintenanceHeaderOrBlank } from '../../shared/domain/maintenance/events.js';
import { FragmentGrouper, isSkippable } from './nmea.js';
import {
    csvRowEvent,
    type FileFormat,
    jsonLineEvents,
    maintenanceLineEvent,
    sniffFileFormat,
} from './records.js';
import type { EmitFn, EventSource, SourceEvent } from './types.js';

export interface ReplayOptions {
    /** Events per second; default: as fast as the consumer takes them. */
    rate?: number;
    /** Most events per `emit` call (default 500; with `rate`, at most a tenth of a second's worth). */
    chunkSize?: number;
    /** Event hub a maintenance log file goes to (default `maintenance-events`, the MAINTENANCE_EVENTHUB_NAME default). */
    maintenanceHub?: string;
}

export interface ReplayStats {
    files: number;
    /** Every line read, blank lines and comments included. */
    lines: number;
    /** Blank lines, comments and CSV headers. */
    skipped: number;
    events: number;
    /** Format of each file, by path. */
    formats: Record<string, FileFormat>;
    /** NMEA lines left out of every event (other sentences), by reason; `$PGHP` headers travel with their sentence. */
    skippedByReason: Record<string, number>;
    /** Files nothing could be used from (a CSV in another schema), with why: none of their rows is sent. */
    unsupported: { file: string; detail: string }[];
    /** Readable files that gave no event at all (empty, only blank lines, comments, a header or other sentences). */
    empty: { file: string; detail: string }[];
}

/**
 * One line per file nothing was sent from (`UNSUPPORTED FILE`: a format nothing can be read from; `NO DATA IN
 * FILE`: empty or nothing but skipped lines), for `maritime replay` and `maritime send`; empty when every file
 * gave events.
 */
export function fileProblems(stats: ReplayStats): string[] {
    return [
        ...stats.unsupported.map((u) => `UNSUPPORTED FILE ${u.file}: ${u.detail}; nothing of it was sent`),
        ...stats.empty.map((e) => `NO DATA IN FILE ${e.file}: ${e.detail}; nothing of it was sent`),
    ];
}

/** A line of a binary file as readline decodes it: NUL or other control bytes, or bytes that are not UTF-8 (U+FFFD). */
function notText(line: string): boolean {
    // eslint-disable-next-line no-control-regex
    return /[\u0000-\u0008\u000e-\u001f\ufffd]/.test(line);
}

function reasonList(byReason: Record<string, number>): string {
    return Object.entries(byReason)
        .map(([reason, n]) => `${reason}=${n}`)
        .join(', ');
}

export class ReplaySource implements EventSource {
    readonly name: string;
    readonly done: Promise<void>;
    readonly stats: ReplayStats = {
        files: 0,
        lines: 0,
        skipped: 0,
        events: 0,
        formats: {},
        skippedByReason: {},
        unsupported: [],
        empty: [],
    };
    readonly #files: readonly string[];
    readonly #rate: number | undefined;
    readonly #chunkSize: number;
    readonly #maintenanceHub: string;
    #resolve!: () => void;
    #reject!: (e: unknown) => void;
    #stopped = false;
    #started = false;
    #input: Readable | undefined;
    #rl: Interface | undefined;

    constructor(files: readonly string[], options: ReplayOptions = {}) {
        if (files.length === 0) throw new RangeError('replay needs at least one file');
        if (options.rate !== undefined && !(options.rate > 0))
            throw new RangeError(`rate must be > 0, got ${options.rate}`);
        this.#files = files;
        this.#rate = options.rate;
        this.#maintenanceHub = options.maintenanceHub ?? 'maintenance-events';
        const chunk = options.chunkSize ?? 500;
        this.#chunkSize = Math.max(1, this.#rate ? Math.min(chunk, Math.ceil(this.#rate / 10)) : chunk);
        this.name = `replay ${files.map((f) => basename(f)).join(', ')}${this.#rate ? ` at ${this.#rate} events/s` : ''}`;
        this.done = new Promise<void>((resolve, reject) => {
            this.#resolve = resolve;
            this.#reject = reject;
        });
        this.done.catch(() => undefined); // a failure is reported to whoever awaits `done`, never as unhandled
    }

    start(emit: EmitFn): Promise<void> {
        if (this.#started) throw new Error('replay source already started');
        this.#started = true;
        this.#run(emit).then(this.#resolve, this.#reject);
        return Promise.resolve();
    }

    stop(): Promise<void> {
        this.#stopped = true;
        this.#rl?.close(); // ends the line iterator
        this.#input?.destroy();
        return this.done.catch(() => undefined);
    }

    async #run(emit: EmitFn): Promise<void> {
        const began = Date.now();
        let buffer: SourceEvent[] = [];
        let sent = 0;
        const flush = async (): Promise<void> => {
            if (buffer.length === 0) return;
            const chunk = buffer;
            buffer = [];
            sent += chunk.length;
            this.stats.events += chunk.length;
            await emit(chunk);
            if (this.#rate) {
                const due = began + (sent / this.#rate) * 1000;
                const wait = due - Date.now();
                if (wait > 0) await sleep(wait);
            } else {
                await yieldToLoop(); // let the consumer run between chunks
            }
        };
        for (const file of this.#files) {
            if (this.#stopped) break;
            this.stats.files++;
            const eventsBefore = this.stats.events + buffer.length;
            const linesBefore = this.stats.lines;
            const unsupportedBefore = this.stats.unsupported.length;
            const raw = createReadStream(file);
            const input: Readable = file.endsWith('.gz') ? raw.pipe(createGunzip()) : raw;
            raw.on('error', (e) => input.destroy(e));
            this.#input = input;
            const rl = createInterface({ input, crlfDelay: Infinity });
            this.#rl = rl;
            let format: FileFormat | undefined;
            let grouper: FragmentGrouper | undefined;
            let csvProps: Record<string, string> = { format: 'csv' };
            const jsonProps = { format: 'json' };
            try {
                for await (const line of rl) {
                    if (this.#stopped) break;
                    this.stats.lines++;
                    if (isSkippable(line)) {
                        this.stats.skipped++;
                        continue;
                    }
                    if (format === undefined) {
                        format = sniffFileFormat(line);
                        this.stats.formats[file] = format;
                        if (format === 'unknown') {
                            this.stats.unsupported.push({
                                file,
                                detail: notText(line)
                                    ? 'not text (binary data; a gzip file needs a .gz name, other archives must be extracted first); expected NMEA 0183, JSON lines, MarineCadastre CSV or a maintenance log'
                                    : `not NMEA 0183, JSON lines, MarineCadastre CSV nor a maintenance log: the first line is '${line.trim().slice(0, 60)}'`,
                            });
                            break;
                        }
                        if (format === 'nmea')
                            grouper = new FragmentGrouper({ properties: { format: 'nmea' } });
                        if (format === 'csv') {
                            const problem = csvSchemaProblem(line);
                            if (problem !== undefined) {
                                // One file-level message instead of one CSV_MALFORMED per row.
                                this.stats.unsupported.push({ file, detail: problem });
                                break;
                            }
                        }
                        if (format === 'csv' && isCsvHeader(line)) {
                            csvProps = { format: 'csv', csvHeader: line.trim() };
                            this.stats.skipped++;
                            continue;
                        }
                    }
                    if (format === 'maintenance') {
                        if (isMaintenanceHeaderOrBlank(line)) this.stats.skipped++;
                        else buffer.push(maintenanceLineEvent(line, this.#maintenanceHub));
                    } else if (format === 'nmea') buffer.push(...grouper!.push(line));
                    else if (format === 'json') buffer.push(...jsonLineEvents(line, jsonProps));
                    else buffer.push(csvRowEvent(line, csvProps));
                    if (buffer.length >= this.#chunkSize) await flush();
                }
            } finally {
                rl.close();
            }
            if (grouper) {
                buffer.push(...grouper.flush());
                for (const [reason, n] of Object.entries(grouper.skippedByReason)) {
                    this.stats.skippedByReason[reason] = (this.stats.skippedByReason[reason] ?? 0) + n;
                    this.stats.skipped += n;
                }
            }
            const lines = this.stats.lines - linesBefore;
            if (
                !this.#stopped &&
                this.stats.events + buffer.length === eventsBefore &&
                this.stats.unsupported.length === unsupportedBefore
            ) {
                // Said once per file, as `maritime decode` does: a replay of it would otherwise pass in silence.
                const others = grouper ? reasonList(grouper.skippedByReason) : '';
                this.stats.empty.push({
                    file,
                    detail:
                        lines === 0
                            ? 'the file is empty'
                            : others
                              ? `no AIS sentence among its ${lines} line(s) (skipped: ${others})`
                              : `no data among its ${lines} line(s) (only blank lines, comments or a header)`,
                });
            }
            if (!this.#stopped) await flush();
        }
        if (!this.#stopped) await flush();
    }
}
