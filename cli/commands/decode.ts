/**
 * `maritime decode [FILE] [--format nmea|json|csv] [--records] [--errors]`
 *
 * Streams FILE (or stdin) line by line and writes one JSON object per decoded message or record to stdout,
 * and a one-line summary to stderr. Rejected lines are only counted unless `--errors` is given. Exit code 0
 * even when lines were rejected; 1 on I/O errors, 2 on usage errors.
 */
import { createInterface } from 'node:readline';
import { parseArgs } from 'node:util';

import { AisDecoder } from '../../shared/domain/ais/index.js';
import type { DecodeEvent, TagBlock } from '../../shared/domain/ais/types.js';
import { parseCsvRow } from '../../shared/domain/formats/csv.js';
import { fromAisMessage } from '../../shared/domain/formats/fromAisMessage.js';
import { parseJsonEvents } from '../../shared/domain/formats/json.js';
import { type InputFormat, sniffLine } from '../../shared/domain/formats/sniff.js';
import { type Command, UsageError } from '../command.js';
import { LineWriter, openInput } from '../io.js';

const USAGE = `Usage: maritime decode [FILE] [--format nmea|json|csv] [--records] [--errors]

Decodes AIS NMEA sentences, JSON events or MarineCadastre CSV rows from FILE (or stdin when FILE is
missing or '-') and writes one JSON object per line to stdout.

  -f, --format F   nmea, json or csv (default: sniffed from the first non-blank, non-comment line)
  -r, --records    NMEA: print the normalised records (as JSON and CSV do) instead of the decoded messages
  -e, --errors     print each rejected line to stderr as JSON: {"reason","detail","raw"}
  -h, --help       this text

NMEA output: the decoded message with gpsd's JSON field names and scaling, preceded by "class":"AIS";
"not available" values are left out; type 24 parts A and B are separate objects; NMEA 4 tag block
fields follow as tagblock_timestamp (ISO 8601), tagblock_station, tagblock_group and tagblock_<key>.
JSON/CSV output: the normalised records (shared/domain/records.ts).
Summary on stderr, e.g.
  maritime decode: format=nmea lines=1121 sentences=118 messages=102 fragments_pending=0 ...
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
}

async function run(argv: string[]): Promise<number> {
    const { values, positionals } = parseArgs({
        args: argv,
        options: {
            format: { type: 'string', short: 'f' },
            records: { type: 'boolean', short: 'r', default: false },
            errors: { type: 'boolean', short: 'e', default: false },
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
    const opts: Options = { records: values.records, errors: values.errors };
    if (format !== undefined) opts.format = format;

    const input = await openInput(positionals[0]);
    const out = new LineWriter(process.stdout);
    let inputError: Error | undefined;
    input.on('error', (e) => {
        inputError = e;
    });
    const rl = createInterface({ input, crlfDelay: Infinity });
    input.on('error', () => rl.close());

    let sink: Sink | undefined;
    const head: string[] = [];
    for await (const line of rl) {
        if (sink === undefined) {
            const f = opts.format ?? sniffLine(line);
            if (f === undefined) {
                head.push(line);
                continue;
            }
            sink = makeSink(f, opts, out);
            for (const h of head) await sink.line(h);
            head.length = 0;
        }
        await sink.line(line);
        if (out.closed) break;
    }
    rl.close();
    if (sink === undefined) {
        sink = makeSink(opts.format ?? 'nmea', opts, out);
        for (const h of head) await sink.line(h);
    }
    if (!out.closed) await sink.end();
    await out.flush();
    process.stderr.write(
        `maritime decode: ${sink.summary()}${out.closed && out.error === undefined ? ' (stdout closed early)' : ''}\n`,
    );
    if (inputError !== undefined) throw new Error(`reading input failed: ${inputError.message}`);
    if (out.error !== undefined) throw new Error(`writing output failed: ${out.error.message}`);
    return 0;
}

interface Sink {
    line(line: string): Promise<void>;
    end(): Promise<void>;
    summary(): string;
}

function makeSink(format: InputFormat, opts: Options, out: LineWriter): Sink {
    switch (format) {
        case 'nmea':
            return new NmeaSink(opts, out);
        case 'json':
            return new JsonSink(opts, out);
        case 'csv':
            return new CsvSink(opts, out);
    }
}

function reportError(reason: string, detail: string, raw: string | string[]): void {
    process.stderr.write(JSON.stringify({ reason, detail, raw }) + '\n');
}

// -------------------------------------------------------------------------------------------------- NMEA

class NmeaSink implements Sink {
    private readonly decoder = new AisDecoder();
    private pendingAtEnd = 0;

    constructor(
        private readonly opts: Options,
        private readonly out: LineWriter,
    ) {}

    async line(line: string): Promise<void> {
        await this.events(this.decoder.push(line));
    }

    async end(): Promise<void> {
        this.pendingAtEnd = this.decoder.stats.fragmentsPending;
        await this.events(this.decoder.flush());
    }

    private async events(events: DecodeEvent[]): Promise<void> {
        for (const ev of events) {
            if (ev.kind === 'message') {
                if (this.opts.records) {
                    const source =
                        ev.tagBlock !== undefined
                            ? { format: 'nmea' as const, tagBlock: ev.tagBlock }
                            : { format: 'nmea' as const };
                    for (const r of fromAisMessage(ev.message, source))
                        await this.out.line(JSON.stringify(r));
                } else {
                    await this.out.line(gpsdJson(ev.message, ev.tagBlock));
                }
            } else if (this.opts.errors) {
                if (ev.kind === 'error') reportError(ev.reason, ev.detail, ev.raw);
                else reportError('UNSUPPORTED_TYPE', `type ${ev.type}: ${ev.detail}`, ev.raw);
            }
        }
    }

    summary(): string {
        const s = this.decoder.stats;
        return (
            `format=nmea lines=${s.lines} sentences=${s.sentences} messages=${s.messages} ` +
            `fragments_pending=${this.pendingAtEnd} checksum_failures=${s.checksumFailures} ` +
            `unsupported=${s.unsupported} malformed=${s.malformed} skipped=${s.skipped}`
        );
    }
}

/** The decoded message as gpsd prints it (`"class":"AIS"` first), then the tag block as `tagblock_*`. */
export function gpsdJson(message: Record<string, unknown>, tagBlock: TagBlock | undefined): string {
    const body = JSON.stringify(message);
    const head = body.length > 2 ? '{"class":"AIS",' : '{"class":"AIS"';
    if (tagBlock === undefined) return head + body.slice(1);
    const tb: Record<string, unknown> = {};
    for (const [k, v] of Object.entries(tagBlock)) {
        if (v === undefined) continue;
        if (k === 'timestamp' && typeof v === 'number') tb.tagblock_timestamp = new Date(v).toISOString();
        else tb[`tagblock_${k}`] = v;
    }
    const tail = JSON.stringify(tb);
    return tail.length > 2 ? head + body.slice(1, -1) + ',' + tail.slice(1) : head + body.slice(1);
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

    abstract line(line: string): Promise<void>;
    abstract end(): Promise<void>;

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

    constructor(opts: Options, out: LineWriter) {
        super(opts, out, 'rows', 'csv');
    }

    async line(line: string): Promise<void> {
        this.lineNo++;
        const o = parseCsvRow(line, this.lineNo);
        if (o === undefined) return;
        this.rows++;
        if (!o.ok) {
            this.reject(o.reason, `line ${this.lineNo}: ${o.detail}`, o.raw);
            return;
        }
        for (const r of o.records) {
            this.records++;
            await this.out.line(JSON.stringify(r));
        }
    }

    async end(): Promise<void> {}
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

    async line(line: string): Promise<void> {
        const t = line.trim();
        if (this.buf.length === 0) {
            if (t.length === 0) return;
            // JSON-lines fast path: a whole object on one line.
            if (t.length >= 2 && t.charCodeAt(0) === 123 && t.charCodeAt(t.length - 1) === 125) {
                await this.parse(t);
                return;
            }
        } else if (this.buf[0]!.startsWith('{') && (line.startsWith('{') || line.startsWith('['))) {
            // A new unindented document while an object never closed: that one was a broken JSON line.
            // (Inside an array, elements may start at column 0: the array is gathered whole.)
            await this.drain();
        }
        this.buf.push(line);
        this.scan(line);
        if (this.depth <= 0 && !this.inString) await this.drain();
    }

    async end(): Promise<void> {
        await this.drain();
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

    private async drain(): Promise<void> {
        if (this.buf.length === 0) return;
        const doc = this.buf.join('\n');
        this.buf = [];
        this.depth = 0;
        this.inString = false;
        this.escaped = false;
        await this.parse(doc);
    }

    private async parse(doc: string): Promise<void> {
        for (const o of parseJsonEvents(doc)) {
            this.rows++;
            if (o.ok) {
                this.records++;
                await this.out.line(JSON.stringify(o.record));
            } else {
                this.reject(o.reason, o.detail, o.raw);
            }
        }
    }
}
