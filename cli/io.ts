/** Buffered, back-pressure-aware stdout writing that stops quietly when the reader goes away (`| head`). */
import { once } from 'node:events';
import { createWriteStream, fstatSync } from 'node:fs';
import { type FileHandle, open, stat } from 'node:fs/promises';
import type { Readable, Writable } from 'node:stream';

export class LineWriter {
    /**
     * Output bytes: each line is encoded into this buffer as it is added (so its string dies young instead of
     * joining a long rope of strings that the GC has to trace and the write has to flatten).
     */
    private buf: Buffer;
    private at = 0;
    /** Full buffers waiting for the next flush. */
    private full: Buffer[] = [];
    /** True once the reader closed the pipe (EPIPE): further writes are dropped. */
    closed = false;
    private failure: Error | undefined;
    /** Settles when the stream is done with the last bytes handed to it (writes complete in order). */
    private lastWrite: Promise<void> = Promise.resolve();

    constructor(
        private readonly out: Writable,
        private readonly chunkSize = 64 * 1024,
    ) {
        this.buf = Buffer.allocUnsafe(chunkSize);
        out.on('error', (e: NodeJS.ErrnoException) => {
            this.closed = true;
            if (e.code !== 'EPIPE' && e.code !== 'ERR_STREAM_DESTROYED') this.failure = e;
        });
    }

    /** Queues one line (a newline is added) without writing: the caller flushes once per input chunk. */
    add(s: string): void {
        if (this.closed) return;
        // UTF-8 needs at most 3 bytes per UTF-16 unit.
        if (this.at + 3 * s.length + 1 > this.buf.length) {
            if (this.at > 0) this.full.push(this.buf.subarray(0, this.at));
            this.buf = Buffer.allocUnsafe(Math.max(this.chunkSize, 3 * s.length + 1));
            this.at = 0;
        }
        this.at += this.buf.write(s, this.at);
        this.buf[this.at++] = 10;
    }

    /** Bytes queued and not yet written. */
    get pending(): number {
        let n = this.at;
        for (const b of this.full) n += b.length;
        return n;
    }

    /** Queues one line (a newline is added); resolves at once unless the buffer had to be flushed. */
    async line(s: string): Promise<void> {
        this.add(s);
        if (this.pending >= this.chunkSize) await this.flush();
    }

    async flush(): Promise<void> {
        if (this.closed) return;
        if (this.at > 0) {
            this.full.push(this.buf.subarray(0, this.at));
            // The written bytes stay referenced by the stream until written: continue in a fresh buffer.
            this.buf = Buffer.allocUnsafe(this.chunkSize);
            this.at = 0;
        }
        if (this.full.length === 0) return;
        const chunks = this.full;
        this.full = [];
        const chunk = chunks.length === 1 ? (chunks[0] as Buffer) : Buffer.concat(chunks);
        if (!this.write(chunk) && !this.closed) {
            // `once` rejects when 'error' comes first; the error listener above has recorded it already.
            await once(this.out, 'drain').catch(() => undefined);
        }
    }

    /** Writes `bytes` after anything queued, waiting for the stream to drain when it asks to. */
    async bytes(bytes: Buffer): Promise<void> {
        await this.flush();
        if (this.closed || bytes.length === 0) return;
        if (!this.write(bytes) && !this.closed) await once(this.out, 'drain').catch(() => undefined);
    }

    /**
     * Writes `bytes` after anything queued; resolves once the stream is done with them (written, or failed), so
     * that the caller may fill the same buffer again. Waiting for that is the back-pressure.
     */
    async bytesThenReuse(bytes: Buffer): Promise<void> {
        await this.flush();
        if (this.closed || bytes.length === 0) return;
        this.write(bytes);
        await this.lastWrite;
    }

    /**
     * Flushes, then resolves once every byte handed to the stream has been written (or failed): with a stream
     * that writes asynchronously (bulkStdout), an error such as a full disk is only known then.
     */
    async end(): Promise<void> {
        await this.flush();
        await this.lastWrite;
    }

    private write(bytes: Buffer): boolean {
        let done!: () => void;
        this.lastWrite = new Promise<void>((resolve) => (done = resolve));
        return this.out.write(bytes, () => done());
    }

    /** An output error other than EPIPE (disk full, ...), thrown at the end so the exit code shows it. */
    get error(): Error | undefined {
        return this.failure;
    }
}

/**
 * Where a command's bulk output goes. When stdout is a regular file (`> out.jsonl`), a stream of asynchronous
 * writes on fd 1: the kernel's copy into the page cache then runs on libuv's thread pool, on another CPU, while
 * this thread goes on decoding (process.stdout writes a file synchronously, on this thread: ~10-20 % of the
 * decode command's time at 1M sentences). Otherwise (terminal, pipe) process.stdout, as Node sets it up. The
 * file's offset is the descriptor's, so `>>` appends as before. The caller must await LineWriter.end() before
 * it reports success: a write error is only known once the write is done.
 */
export function bulkStdout(): Writable {
    let isFile = false;
    try {
        isFile = fstatSync(1).isFile();
    } catch {
        // no fd 1 (closed): process.stdout reports that in its own way
    }
    return isFile ? createWriteStream('', { fd: 1, autoClose: false }) : process.stdout;
}

/** Opens FILE (or stdin for undefined / `-`), failing early with a readable message when it cannot. */
export async function openInput(file: string | undefined): Promise<Readable> {
    if (file === undefined || file === '-') return process.stdin;
    const fh = await openFile(file);
    // 1 MiB chunks: one read (and one promise) per MiB, not per line.
    return fh.createReadStream({ highWaterMark: 1 << 20 });
}

/** FILE's bytes, read by `inputChunks`, or the stream of stdin. */
export interface InputChunks {
    /** A read error rejects `next()`. */
    chunks: AsyncIterator<Buffer>;
    /** Stops reading (the input is not used further) and releases the file. */
    close(): Promise<void>;
    /** Bytes left to read when the input is a regular file (FILE, or stdin redirected from one), else undefined. */
    size: number | undefined;
}

/** Bytes per read of a file. */
const READ_BYTES = 1 << 20;

/**
 * FILE (or stdin for undefined / `-`) as chunks of bytes, failing early with a readable message when it cannot
 * be opened. With `reuseBuffers`, a file is read into two buffers that take turns (the next read runs while the
 * caller uses the chunk just returned): **a chunk is valid only until the next call of `next()`**, so a caller
 * that keeps bytes longer must copy them. A read stream allocates a fresh 1 MiB buffer per read instead, whose
 * pages the kernel must map and zero each time (50 MB of fresh memory for the 1M-sentence benchmark file: ~12,000
 * page faults, about 0.15 s of CPU of `maritime decode`, 13 %). Stdin, or a file without `reuseBuffers`, gives
 * fresh buffers as before.
 */
export async function inputChunks(file: string | undefined, reuseBuffers: boolean): Promise<InputChunks> {
    if (file === undefined || file === '-' || !reuseBuffers) {
        const size = file === undefined || file === '-' ? stdinFileSize() : await fileSize(file);
        const input = await openInput(file);
        // The iterator rejects with a read error; a listener keeps an error after it ends from being thrown.
        input.on('error', () => undefined);
        return {
            chunks: (input as AsyncIterable<Buffer>)[Symbol.asyncIterator](),
            close: () => {
                input.destroy();
                return Promise.resolve();
            },
            size,
        };
    }
    const fh = await openFile(file);
    const size = (await fh.stat()).size;
    const buffers = [Buffer.allocUnsafeSlow(READ_BYTES), Buffer.allocUnsafeSlow(READ_BYTES)];
    let turn = 0;
    let closed = false;
    const read = (b: Buffer): Promise<number> => {
        const p = fh.read(b, 0, b.length, null).then((r) => r.bytesRead);
        // A read still running when the caller stops is awaited by close(), not left unhandled.
        p.catch(() => undefined);
        return p;
    };
    let pending: Promise<number> | undefined = read(buffers[0]!);
    const close = async (): Promise<void> => {
        if (closed) return;
        closed = true;
        const last = pending;
        pending = undefined;
        await last?.catch(() => undefined);
        await fh.close();
    };
    const chunks: AsyncIterator<Buffer> = {
        async next(): Promise<IteratorResult<Buffer>> {
            if (pending === undefined) return { done: true, value: undefined };
            let n: number;
            try {
                n = await pending;
            } catch (e) {
                pending = undefined;
                await close();
                throw e;
            }
            if (n === 0) {
                await close();
                return { done: true, value: undefined };
            }
            const b = buffers[turn]!;
            // The other buffer is free: the caller asked for this chunk, so it is done with the previous one.
            turn ^= 1;
            pending = read(buffers[turn]!);
            return { done: false, value: b.subarray(0, n) };
        },
        async return(): Promise<IteratorResult<Buffer>> {
            await close();
            return { done: true, value: undefined };
        },
    };
    return { chunks, close, size };
}

/** Bytes left to read on stdin when it is a regular file (`< FILE`), else undefined. */
function stdinFileSize(): number | undefined {
    try {
        const st = fstatSync(0);
        if (!st.isFile()) return undefined;
        // The shell's descriptor may not be at the start (`{ head -c 10; cmd; } < FILE`): an estimate then.
        return st.size;
    } catch {
        return undefined;
    }
}

async function fileSize(file: string): Promise<number | undefined> {
    try {
        const st = await stat(file);
        return st.isFile() ? st.size : undefined;
    } catch {
        return undefined;
    }
}

async function openFile(file: string): Promise<FileHandle> {
    let fh: FileHandle | undefined;
    try {
        fh = await open(file, 'r');
        const st = await fh.stat();
        if (st.isDirectory()) throw Object.assign(new Error('is a directory'), { code: 'EISDIR' });
    } catch (e) {
        await fh?.close();
        const err = e as NodeJS.ErrnoException;
        const msg =
            err.code !== undefined && !err.message.startsWith(err.code)
                ? `${err.code}: ${err.message}`
                : err.message;
        throw new Error(`cannot read ${file}: ${msg}`);
    }
    return fh;
}
