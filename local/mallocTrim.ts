/**
 * glibc's `malloc_trim(0)` for the local stack: gives back to the system every free page of every malloc arena, not
 * only the top of the heap. Called after each lake job, following its full collection (heapTrim.ts
 * `collectGarbage`): the collection frees the native memory behind the job's buffers, but glibc returns only what
 * lies at the top of an arena, so what the job freed in the middle stayed resident until something else trimmed.
 * DuckDB's close does (`~DatabaseInstance` calls `malloc_trim(0)`, README "Native memory freed but not given back"),
 * so after a gold build or a compaction it was given back, but after the compliance check (JavaScript only) the main
 * arena stayed at ~80 MB, 50-60 MB of it free, until the next compaction: a soak measured that as the stack's RSS
 * growing between jobs (+112 +- 54 MB/hour).
 *
 * Through koffi (a maintained FFI with prebuilt binaries; a dev dependency, like the emulators: the Functions app
 * never loads it). Linux with glibc only (musl has no `malloc_trim`); elsewhere, or when koffi cannot load, a no-op.
 * A trim walks the arenas: a few milliseconds for the stack's ~100 MB.
 */
import { createRequire } from 'node:module';

import { runningGlibc } from '../cli/mallocReexec.js';

let trim: ((pad: number) => number) | null | undefined;

function load(): ((pad: number) => number) | null {
    if (process.platform !== 'linux' || runningGlibc() === undefined) return null;
    try {
        const koffi = createRequire(import.meta.url)('koffi') as typeof import('koffi');
        return koffi.load('libc.so.6').func('int malloc_trim(size_t pad)') as (pad: number) => number;
    } catch {
        return null;
    }
}

/** `malloc_trim(0)`; false when not available here (not glibc, or koffi not installed). */
export function trimNativeHeap(): boolean {
    if (trim === undefined) trim = load();
    if (trim === null) return false;
    trim(0);
    return true;
}
