/**
 * The schema in a Parquet file's footer, and nothing else of it. A gold build groups the thousands of small silver
 * files it reads by schema (`DuckDbGoldEngine`); decoding each whole footer (row groups, column chunks and their
 * statistics, with hyparquet's `parquetMetadata`) made about 100 KB of short-lived JS objects per file, some 190 MB a
 * build of 2,000 files on the main thread. The schema is the footer's second field (Thrift `FileMetaData`: 1 version,
 * 2 schema, then the rest), so this reads the compact-protocol bytes up to the end of that list and stops.
 */

/** A file's schema: its top-level column names, and a key equal for files DuckDB reads alike. */
export interface FileSchema {
    /** The schema's encoded bytes (latin1): files written alike have the same key. */
    key: string;
    columns: ReadonlySet<string>;
}

const STOP = 0;
const BINARY = 8;
const LIST = 9;
const SET = 10;
const MAP = 11;
const STRUCT = 12;
const I32 = 5;

/** A Thrift compact-protocol reader over `bytes[pos, end)`; reading past `end` throws. */
class CompactReader {
    constructor(
        private readonly bytes: Uint8Array,
        public pos: number,
        private readonly end: number,
    ) {}

    byte(): number {
        if (this.pos >= this.end) throw new Error('parquet footer ends early');
        return this.bytes[this.pos++]!;
    }

    /** An unsigned varint (lengths, sizes, zigzag-encoded integers up to 2^53). */
    varint(): number {
        let value = 0;
        let scale = 1;
        for (let i = 0; i < 10; i++) {
            const b = this.byte();
            value += (b & 0x7f) * scale;
            if ((b & 0x80) === 0) return value;
            scale *= 128;
        }
        throw new Error('parquet footer: varint too long');
    }

    /** A zigzag-encoded signed integer (i16, i32). */
    int(): number {
        const v = this.varint();
        return v % 2 === 0 ? v / 2 : -(v + 1) / 2;
    }

    skipBytes(n: number): void {
        if (n < 0 || this.pos + n > this.end) throw new Error('parquet footer ends early');
        this.pos += n;
    }

    /** A field header: its type and id (`type` 0: the end of the struct). */
    field(lastId: number): { type: number; id: number } {
        const header = this.byte();
        const type = header & 0x0f;
        if (type === STOP) return { type, id: 0 };
        const delta = header >> 4;
        return { type, id: delta === 0 ? this.int() : lastId + delta };
    }

    /** A list or set header: its size and element type. */
    listHeader(): { size: number; type: number } {
        const header = this.byte();
        const short = header >> 4;
        return { size: short === 15 ? this.varint() : short, type: header & 0x0f };
    }

    /** Skips a value of `type` (a list's booleans are one byte each, a struct field's are in its header). */
    skip(type: number, inList = false): void {
        switch (type) {
            case 1:
            case 2:
                if (inList) this.skipBytes(1);
                return;
            case 3:
                this.skipBytes(1);
                return;
            case 4:
            case 5:
            case 6:
                this.varint();
                return;
            case 7:
                this.skipBytes(8);
                return;
            case BINARY:
                this.skipBytes(this.varint());
                return;
            case LIST:
            case SET: {
                const { size, type: element } = this.listHeader();
                for (let i = 0; i < size; i++) this.skip(element, true);
                return;
            }
            case MAP: {
                const size = this.varint();
                if (size === 0) return;
                const types = this.byte();
                for (let i = 0; i < size; i++) {
                    this.skip(types >> 4, true);
                    this.skip(types & 0x0f, true);
                }
                return;
            }
            case STRUCT: {
                let lastId = 0;
                for (;;) {
                    const f = this.field(lastId);
                    if (f.type === STOP) return;
                    lastId = f.id;
                    this.skip(f.type);
                }
            }
            default:
                throw new Error(`parquet footer: unknown Thrift type ${type}`);
        }
    }
}

/** The schema in a Parquet file's footer (undefined when the footer does not parse). Reads `bytes` in place. */
export function schemaOf(bytes: Uint8Array): FileSchema | undefined {
    try {
        const n = bytes.length;
        // ... {FileMetaData} {its length, u32 LE} "PAR1"
        if (
            n < 12 ||
            bytes[n - 4] !== 0x50 ||
            bytes[n - 3] !== 0x41 ||
            bytes[n - 2] !== 0x52 ||
            bytes[n - 1] !== 0x31
        )
            return undefined;
        const length =
            (bytes[n - 8]! | (bytes[n - 7]! << 8) | (bytes[n - 6]! << 16) | (bytes[n - 5]! << 24)) >>> 0;
        if (length > n - 12) return undefined;
        const reader = new CompactReader(bytes, n - 8 - length, n - 8);
        let lastId = 0;
        for (;;) {
            const f = reader.field(lastId);
            if (f.type === STOP) return undefined;
            lastId = f.id;
            if (f.id === 2 && f.type === LIST) return readSchema(reader, bytes);
            reader.skip(f.type);
        }
    } catch {
        return undefined;
    }
}

/** FileMetaData's schema: a list of SchemaElement (4: name, 5: num_children), depth first, the root first. */
function readSchema(reader: CompactReader, bytes: Uint8Array): FileSchema | undefined {
    const start = reader.pos;
    const { size, type } = reader.listHeader();
    if (type !== STRUCT) return undefined;
    const elements: { name: string; children: number }[] = [];
    const decoder = new TextDecoder();
    for (let i = 0; i < size; i++) {
        let name = '';
        let children = 0;
        let lastId = 0;
        for (;;) {
            const f = reader.field(lastId);
            if (f.type === STOP) break;
            lastId = f.id;
            if (f.id === 4 && f.type === BINARY) {
                const length = reader.varint();
                const at = reader.pos;
                reader.skipBytes(length);
                name = decoder.decode(bytes.subarray(at, at + length));
            } else if (f.id === 5 && f.type === I32) {
                children = reader.int();
            } else {
                reader.skip(f.type);
            }
        }
        elements.push({ name, children });
    }
    const key = Buffer.from(bytes.buffer, bytes.byteOffset + start, reader.pos - start).toString('latin1');
    return { key, columns: new Set(topLevelNames(elements.slice(1))) };
}

/** Top-level names of a flattened schema (a group's descendants follow it, depth first). */
function topLevelNames(elements: readonly { name: string; children: number }[]): string[] {
    const names: string[] = [];
    let i = 0;
    while (i < elements.length) {
        names.push(elements[i]!.name);
        let skip = 1;
        for (let open = elements[i]!.children; open > 0; open--) {
            open += elements[i + skip]?.children ?? 0;
            skip++;
        }
        i += skip;
    }
    return names;
}
