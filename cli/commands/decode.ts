/**
 * `maritime decode [FILE] [--format nmea|json|csv] [--records] [--errors]`
 *
 * Reads FILE (or stdin) in 1 MiB chunks, decodes each chunk's lines synchronously and writes one JSON object
 * per decoded message or record to stdout (one write per chunk), and a one-line summary to stderr. Rejected
 * lines are only counted unless `--errors` is given. Exit code 0 when anything was decoded (even with rejected
 * lines); 1 when nothing in the file could be used (a CSV in another schema: one file-level message; every
 * line rejected) and on I/O errors; 2 on usage errors.
 */
import { StringDecoder } from 'node:string_decoder';
import { parseArgs } from 'node:util';
import { setFlagsFromString } from 'node:v8';

import { csvSchemaProblem, parseCsvRow } from '../../shared/domain/formats/csv.js';
import { EMPTY_BODY, emptyBodyDetail, isNullBody } from '../../shared/domain/formats/emptyBody.js';
import { parseJsonEvents } from '../../shared/domain/formats/json.js';
import { binaryInput, type InputFormat, sniffLine } from '../../shared/domain/formats/sniff.js';
import { type Command, UsageError } from '../command.js';
import { errorLine } from '../decode/nmeaChunk.js';
import { decodeNmea, DEFAULT_CHUNK_BYTES, defaultThreads, type NmeaRun } from '../decode/nmeaParallel.js';
import { bulkStdout, inputChunks, LineWriter } from '../io.js';

const USAGE = `Usage: maritime decode [FILE] [--format nmea|json|csv] [--records] [--errors]

Decodes AIS NMEA sentences, JSON events or MarineCadastre CSV rows from FILE (or stdin when FILE is
missing or '-') and writes one JSON object per line to stdout.

  -f, --format F   nmea, json or csv (default: sniffed from the first non-blank, non-comment line)
  -r, --records    NMEA: print the normalised records (as JSON and CSV do) instead of the decoded messages
  -e, --errors     print each rejected line to stderr as JSON: {"reason","detail","raw"}
  -t, --threads N  NMEA: decode on N threads (default: 1 for a file under 8 MiB; else the idle CPUs, i.e.
                   CPUs minus the load average, when more than 2 are idle, else 1; 1 = no worker threads).
                   The output is the same, in the same order, whatever N.
  --chunk-size B   NMEA: bytes of input per chunk handed to a thread (default 1048576)
  -h, --help       this text

NMEA output: the decoded message with gpsd's JSON field names and scaling, preceded by "class":"AIS";
"not available" values are left out; type 24 parts A and B are separate objects; NMEA 4 tag block
fields follow as tagblock_timestamp (ISO 8601), tagblock_station, tagblock_group and tagblock_<key>.
JSON/CSV output: the normalised records (shared/domain/records.ts).
Receiver time (tag block c:, a $PGHP header line before the sentence, or a Unix time ending a
receiver suffix after the checksum, in that precedence) follows as receiver_time and receiver_time_source.
Other NMEA sentences ($GPRMC, $PGHP, ...) are skipped and counted by reason, not reported as errors.
Summary on stderr, e.g.
  maritime decode: format=nmea lines=1121 sentences=118 messages=102 fragments_pending=0 ...
Exit code 1, with one message, when nothing in the file could be used (e.g. a CSV in another schema, only
blank lines, or other NMEA sentences), when the input is empty, and when it is not text (binary, gzip).
`;

export const decodeCommand: Command = {
    name: 'decode',
    summary: 'decode an NMEA / JSON / CSV file (or stdin) to JSON lines',
    usage: USAGE,
    run,
};

interface Options {
    format?: InputFormat;
    records: boolean;
    errors: boolean;
    threads: number;
    chunkBytes: number;
}

async function run(argv: string[]): Promise<number> {
    const { values, positionals } = parseArgs({
        args: argv,
        options: {
            format: { type: 'string', short: 'f' },
            records: { type: 'boolean', short: 'r', default: false },
            errors: { type: 'boolean', short: 'e', default: false },
            threads: { type: 'string', short: 't' },
            'chunk-size': { type: 'string' },
            help: { type: 'boolean', short: 'h', default: false },
        },
        allowPositionals: true,
        strict: true,
    });
    if (values.help) {
        process.stdout.write(USAGE);
        return 0;
    }
    if (positionals.length > 1) throw new UsageError(`expected at most one FILE, got ${positionals.length}`);
    const format = values.format;
    if (format !== undefined && format !== 'nmea' && format !== 'json' && format !== 'csv') {
        throw new UsageError(`--format must be nmea, json or csv, got '${format}'`);
    }
    const threadsAsked = values.threads === undefined ? undefined : wholeNumber('--threads', values.threads);
    const chunkBytes =
        values['chunk-size'] === undefined
            ? DEFAULT_CHUNK_BYTES
            : wholeNumber('--chunk-size', values['chunk-size']);
    if (chunkBytes < 1) throw new UsageError('--chunk-size must be at least 1');
    const file = positionals[0] === '-' ? undefined : positionals[0];

    // Every path uses (or copies) a chunk before it asks for the next: the reads may reuse their buffers.
    const input = await inputChunks(positionals[0], true);
    const threads = threadsAsked ?? defaultThreads(input.size);
    const opts: Options = { records: values.records, errors: values.errors, threads, chunkBytes };
    if (format !== undefined) opts.format = format;
    const out = new LineWriter(bulkStdout(), 1 << 20);
    let inputError: Error | undefined;
    const source = input.chunks;
    // The chunks read to sniff the format or check for text, copied (the reader may reuse its buffers).
    const headBytes: Buffer[] = [];
    // A read error ends the input: what was read is decoded and counted, then the error is reported.
    const chunks = (async function* (): AsyncGenerator<Buffer> {
        try {
            yield* headBytes;
            for (;;) {
                const r = await source.next();
                if (r.done === true) return;
                yield r.value;
            }
        } catch (e) {
            inputError ??= e as Error;
        } finally {
            await input.close();
        }
    })();
    let sniffed: InputFormat | undefined = opts.format;
    try {
        if (sniffed === undefined) sniffed = await sniffStream(source, headBytes);
        else {
            // The first chunk, to check that the input is text at all.
            const r = await source.next();
            if (r.done !== true) headBytes.push(Buffer.from(r.value));
        }
    } catch (e) {
        inputError ??= e as Error;
    }
    const name = file ?? 'the input';
    const firstChunk = headBytes[0];
    if (firstChunk === undefined && inputError === undefined) {
        process.stderr.write(`maritime decode: ${name} is empty (0 bytes): nothing to decode\n`);
        return 1;
    }
    const notText = firstChunk === undefined ? undefined : binaryInput(firstChunk);
    if (notText !== undefined) {
        process.stderr.write(
            `maritime decode: ${name} is not text: ${notText}; expected NMEA sentences, JSON events or MarineCadastre CSV\n`,
        );
        await input.close();
        return 1;
    }
    if (sniffed === undefined || sniffed === 'nmea') {
        // TurboFan without inlining: the decode loop's many small writer functions make inlined code costly to
        // compile (on background threads, again in each worker), and this process does nothing else. Measured on
        // 1M sentences: about 12 % less CPU (user + system 1.50 -> 1.32 s, 4 alternating pairs), same output.
        // Set before any decoding, so it applies to everything the decode path compiles.
        setFlagsFromString('--no-turbo-inlining');
        const run = await decodeNmea(chunks, opts, out, (t) => process.stderr.write(t), opts);
        await out.end();
        process.stderr.write(
            `maritime decode: ${nmeaSummary(run)}${out.closed && out.error === undefined ? ' (stdout closed early)' : ''}\n`,
        );
        if (inputError !== undefined) throw new Error(`reading input failed: ${inputError.message}`);
        if (out.error !== undefined) throw new Error(`writing output failed: ${out.error.message}`);
        const nothing = nmeaNothingUsable(run);
        if (nothing !== undefined && !out.closed) {
            process.stderr.write(
                `maritime decode: nothing in ${file ?? 'the input'} could be used: ${nothing}\n`,
            );
            return 1;
        }
        return 0;
    }
    const recordFormat = sniffed;

    // Chunked: each chunk (1 MiB from a file) is split into lines and decoded synchronously, and its output is
    // written once; no promise per line or per record (this is what makes the command fast end to end).
    const text = new StringDecoder('utf8');
    let rest = '';
    const sink: Sink = makeSink(recordFormat, opts, out);
    const feed = (line: string): void => sink.line(line);
    try {
        for await (const chunk of chunks) {
            const s = rest + text.write(chunk);
            let from = 0;
            for (;;) {
                const nl = s.indexOf('\n', from);
                if (nl < 0) break;
                const line =
                    nl > from && s.charCodeAt(nl - 1) === 13 ? s.slice(from, nl - 1) : s.slice(from, nl);
                from = nl + 1;
                feed(line);
                if (sink.failed !== undefined) break;
            }
            rest = s.slice(from);
            if (sink.failed !== undefined) break;
            await out.flush();
            if (out.closed) break;
        }
    } catch (e) {
        inputError ??= e as Error;
    }
    const last = rest + text.end();
    if (last.length > 0 && !out.closed && sink.failed === undefined)
        feed(last.endsWith('\r') ? last.slice(0, -1) : last);
    if (!out.closed && sink.failed === undefined) sink.end();
    await out.end();
    if (sink.failed !== undefined) {
        process.stderr.write(`maritime decode: unsupported file${file ? ` ${file}` : ''}: ${sink.failed}\n`);
        return 1;
    }
    process.stderr.write(
        `maritime decode: ${sink.summary()}${out.closed && out.error === undefined ? ' (stdout closed early)' : ''}\n`,
    );
    if (inputError !== undefined) throw new Error(`reading input failed: ${inputError.message}`);
    if (out.error !== undefined) throw new Error(`writing output failed: ${out.error.message}`);
    const nothing = sink.nothingUsable();
    if (nothing !== undefined && !out.closed) {
        process.stderr.write(
            `maritime decode: nothing in ${file ?? 'the input'} could be used: ${nothing}\n`,
        );
        return 1;
    }
    return 0;
}

function wholeNumber(option: string, v: string): number {
    if (!/^\d+$/.test(v)) throw new UsageError(`${option} must be a whole number, got '${v}'`);
    return Number(v);
}

/**
 * Reads until the first line that shows the format (see sniffLine) is complete, keeping a copy of what was read
 * in `head`; undefined when the input ends first (blank and comment lines only, or nothing).
 */
async function sniffStream(source: AsyncIterator<Buffer>, head: Buffer[]): Promise<InputFormat | undefined> {
    let lineStart = 0;
    let bytes: Buffer = Buffer.alloc(0);
    for (;;) {
        const r = await source.next();
        const done = r.done === true;
        if (!done) {
            const copy = Buffer.from(r.value);
            head.push(copy);
            bytes = head.length === 1 ? copy : Buffer.concat([bytes, copy]);
        }
        for (;;) {
            let nl = bytes.indexOf(10, lineStart);
            if (nl < 0 && done && lineStart < bytes.length) nl = bytes.length;
            if (nl < 0) break;
            const f = sniffLine(bytes.toString('utf8', lineStart, nl));
            if (f !== undefined) return f;
            lineStart = nl + 1;
        }
        if (done) return undefined;
    }
}

function nmeaSummary(run: NmeaRun): string {
    const s = run.counts;
    const why = Object.entries(s.skippedByReason)
        .filter(([, n]) => n > 0)
        .map(([r, n]) => `${r}:${n}`)
        .join(',');
    return (
        `format=nmea lines=${s.lines} sentences=${s.sentences} messages=${s.messages} ` +
        `fragments_pending=${run.pendingAtEnd} checksum_failures=${s.checksumFailures} ` +
        `unsupported=${s.unsupported} malformed=${s.malformed} skipped=${s.skipped}` +
        (why ? ` skipped_by_reason=${why}` : '')
    );
}

function nmeaNothingUsable(run: NmeaRun): string | undefined {
    const s = run.counts;
    const bad = s.checksumFailures + s.malformed + s.unsupported;
    if (s.messages > 0) return undefined;
    if (bad === 0) {
        const why = Object.entries(s.skippedByReason)
            .filter(([, k]) => k > 0)
            .map(([r, k]) => `${r}=${k}`)
            .join(' ');
        return `no AIS sentence among its ${s.lines} lines (skipped: ${why || 'none'})`;
    }
    return `no AIS message decoded from ${s.lines} lines (${s.checksumFailures} checksum failures, ${s.malformed} malformed, ${s.unsupported} unsupported); expected NMEA !AIVDM/!AIVDO sentences, JSON events or MarineCadastre CSV`;
}

interface Sink {
    line(line: string): void;
    end(): void;
    summary(): string;
    /** Set when the file is of a shape nothing can be read from (e.g. a CSV in another schema): why. */
    failed?: string;
    /** Why nothing in the input could be used (lines there were, none decoded), or undefined. */
    nothingUsable(): string | undefined;
}

function makeSink(format: 'json' | 'csv', opts: Options, out: LineWriter): Sink {
    switch (format) {
        case 'json':
            return new JsonSink(opts, out);
        case 'csv':
            return new CsvSink(opts, out);
    }
}

function reportError(reason: string, detail: string, raw: string | string[]): void {
    process.stderr.write(errorLine(reason, detail, raw));
}

// -------------------------------------------------------------------------------------------- JSON / CSV

abstract class RecordSink implements Sink {
    protected rows = 0;
    protected records = 0;
    protected readonly rejected = new Map<string, number>();

    constructor(
        protected readonly opts: Options,
        protected readonly out: LineWriter,
        private readonly unit: string,
        private readonly format: InputFormat,
    ) {}

    failed?: string;

    abstract line(line: string): void;
    abstract end(): void;

    nothingUsable(): string | undefined {
        if (this.records > 0 || this.rows === 0) return undefined;
        const why = [...this.rejected].map(([r, n]) => `${r}=${n}`).join(' ');
        return `all ${this.rows} ${this.unit} rejected (${why})`;
    }

    protected reject(reason: string, detail: string, raw: string): void {
        this.rejected.set(reason, (this.rejected.get(reason) ?? 0) + 1);
        if (this.opts.errors) reportError(reason, detail, raw);
    }

    summary(): string {
        let total = 0;
        let byReason = '';
        for (const [reason, n] of this.rejected) {
            total += n;
            byReason += ` ${reason}=${n}`;
        }
        return `format=${this.format} ${this.unit}=${this.rows} records=${this.records} rejected=${total}${byReason}`;
    }
}

class CsvSink extends RecordSink {
    private lineNo = 0;
    private checked = false;

    constructor(opts: Options, out: LineWriter) {
        super(opts, out, 'rows', 'csv');
    }

    line(line: string): void {
        this.lineNo++;
        if (!this.checked) {
            if (line.trim().length === 0) return;
            this.checked = true;
            // One file-level message for a CSV in another schema, instead of one CSV_MALFORMED per row.
            const problem = csvSchemaProblem(line);
            if (problem !== undefined) {
                this.failed = problem;
                return;
            }
        }
        const o = parseCsvRow(line, this.lineNo);
        if (o === undefined) return;
        this.rows++;
        if (!o.ok) {
            this.reject(o.reason, `line ${this.lineNo}: ${o.detail}`, o.raw);
            return;
        }
        for (const r of o.records) {
            this.records++;
            this.out.add(JSON.stringify(r));
        }
    }

    end(): void {}
}

/**
 * JSON input: JSON lines are handled line by line; a document spread over several lines (pretty-printed
 * object, array) is gathered until its brackets balance, then parsed whole.
 */
class JsonSink extends RecordSink {
    private buf: string[] = [];
    private depth = 0;
    private inString = false;
    private escaped = false;

    constructor(opts: Options, out: LineWriter) {
        super(opts, out, 'events', 'json');
    }

    line(line: string): void {
        const t = line.trim();
        if (this.buf.length === 0) {
            if (t.length === 0) return;
            if (isNullBody(t)) {
                // A `null` line is an event with no body: EMPTY_BODY, as the ingest (and so replay) judges it.
                this.rows++;
                this.reject(EMPTY_BODY, emptyBodyDetail(t), t);
                return;
            }
            // JSON-lines fast path: a whole object on one line.
            if (t.length >= 2 && t.charCodeAt(0) === 123 && t.charCodeAt(t.length - 1) === 125) {
                this.parse(t);
                return;
            }
        } else if (this.buf[0]!.startsWith('{') && (line.startsWith('{') || line.startsWith('['))) {
            // A new unindented document while an object never closed: that one was a broken JSON line.
            // (Inside an array, elements may start at column 0: the array is gathered whole.)
            this.drain();
        }
        this.buf.push(line);
        this.scan(line);
        if (this.depth <= 0 && !this.inString) this.drain();
    }

    end(): void {
        this.drain();
    }

    private scan(line: string): void {
        for (let i = 0; i < line.length; i++) {
            const c = line.charCodeAt(i);
            if (this.inString) {
                if (this.escaped) this.escaped = false;
                else if (c === 92) this.escaped = true;
                else if (c === 34) this.inString = false;
            } else if (c === 34) this.inString = true;
            else if (c === 123 || c === 91) this.depth++;
            else if (c === 125 || c === 93) this.depth--;
        }
    }

    private drain(): void {
        if (this.buf.length === 0) return;
        const doc = this.buf.join('\n');
        this.buf = [];
        this.depth = 0;
        this.inString = false;
        this.escaped = false;
        this.parse(doc);
    }

    private parse(doc: string): void {
        for (const o of parseJsonEvents(doc)) {
            this.rows++;
            if (o.ok) {
                this.records++;
                this.out.add(JSON.stringify(o.record));
            } else {
                this.reject(o.reason, o.detail, o.raw);
            }
        }
    }
}
