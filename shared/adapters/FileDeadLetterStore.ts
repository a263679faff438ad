/**
 * The dead-letter store of the local stack: one JSON file per exhausted batch in a folder on the local disk, so
 * it does not depend on the services that fail (Azurite, the Cosmos-protocol server). Each file is written to a
 * temporary name, flushed, then renamed: a crash never leaves a half-written letter. `maritime rebuild
 * --deadletter` reads them back and removes each one it re-drove.
 */
import { randomBytes } from 'node:crypto';
import { mkdir, open, readdir, readFile, rename, rm } from 'node:fs/promises';
import { join } from 'node:path';

import type { DeadLetter, DeadLetterSink, DeadLetterSource } from '../app/ports.js';

const SUFFIX = '.deadletter.json';

export class FileDeadLetterStore implements DeadLetterSink, DeadLetterSource {
    constructor(readonly dir: string) {}

    async write(letter: DeadLetter): Promise<void> {
        await mkdir(this.dir, { recursive: true });
        const name = `${letter.source}-${letter.batchId}-${letter.failedAt}${SUFFIX}`;
        const tmp = join(this.dir, `.${name}.${randomBytes(4).toString('hex')}.tmp`);
        const handle = await open(tmp, 'w');
        try {
            await handle.writeFile(JSON.stringify(letter));
            await handle.sync();
        } finally {
            await handle.close();
        }
        await rename(tmp, join(this.dir, name));
    }

    /** Letter file names, oldest first (the failure time is in the name). */
    async ids(): Promise<string[]> {
        let names: string[];
        try {
            names = await readdir(this.dir);
        } catch (error) {
            if ((error as NodeJS.ErrnoException).code === 'ENOENT') return [];
            throw error;
        }
        const failedAt = (n: string): number => Number(/-(\d+)\.deadletter\.json$/.exec(n)?.[1] ?? 0);
        return names
            .filter((n) => n.endsWith(SUFFIX))
            .sort((a, b) => failedAt(a) - failedAt(b) || a.localeCompare(b));
    }

    async *read(): AsyncIterable<{ id: string; letter: DeadLetter }> {
        for (const id of await this.ids()) {
            yield { id, letter: JSON.parse(await readFile(join(this.dir, id), 'utf8')) as DeadLetter };
        }
    }

    async remove(id: string): Promise<void> {
        await rm(join(this.dir, id), { force: true });
    }
}
