/** Buffered, back-pressure-aware stdout writing that stops quietly when the reader goes away (`| head`). */
import { once } from 'node:events';
import { open } from 'node:fs/promises';
import type { Readable, Writable } from 'node:stream';

export class LineWriter {
    private buf = '';
    /** True once the reader closed the pipe (EPIPE): further writes are dropped. */
    closed = false;
    private failure: Error | undefined;

    constructor(
        private readonly out: Writable,
        private readonly chunkSize = 64 * 1024,
    ) {
        out.on('error', (e: NodeJS.ErrnoException) => {
            this.closed = true;
            if (e.code !== 'EPIPE' && e.code !== 'ERR_STREAM_DESTROYED') this.failure = e;
        });
    }

    /** Queues one line (a newline is added); resolves at once unless the buffer had to be flushed. */
    async line(s: string): Promise<void> {
        if (this.closed) return;
        this.buf += s + '\n';
        if (this.buf.length >= this.chunkSize) await this.flush();
    }

    async flush(): Promise<void> {
        if (this.closed || this.buf.length === 0) return;
        const chunk = this.buf;
        this.buf = '';
        if (!this.out.write(chunk) && !this.closed) {
            // `once` rejects when 'error' comes first; the error listener above has recorded it already.
            await once(this.out, 'drain').catch(() => undefined);
        }
    }

    /** An output error other than EPIPE (disk full, ...), thrown at the end so the exit code shows it. */
    get error(): Error | undefined {
        return this.failure;
    }
}

/** Opens FILE (or stdin for undefined / `-`), failing early with a readable message when it cannot. */
export async function openInput(file: string | undefined): Promise<Readable> {
    if (file === undefined || file === '-') return process.stdin;
    let fh;
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
    return fh.createReadStream();
}
