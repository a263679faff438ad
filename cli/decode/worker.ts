/**
 * A `maritime decode` worker thread: decodes chunks of NMEA lines into output buffers (cli/decode/nmeaChunk.ts
 * decodeChunk); both buffers of a job are shared with the main thread. The protocol is in
 * cli/decode/nmeaParallel.ts.
 */
import { parentPort, workerData } from 'node:worker_threads';

import { ByteLines } from './byteLines.js';
import { decodeChunk, type NmeaOutputOptions } from './nmeaChunk.js';
import type { WORKER_READY, WorkerJob, WorkerResult } from './nmeaParallel.js';

const opts = workerData as NmeaOutputOptions;

parentPort!.on('message', (job: WorkerJob) => {
    const into = Buffer.from(job.output);
    const lines = new ByteLines(1024, into);
    const outcome = decodeChunk(Buffer.from(job.input), job, lines, opts);
    const result: WorkerResult = { ...outcome, id: job.id, outLength: lines.length };
    // More output than the job's buffer holds (rare): a copy of this worker's bigger buffer (not transferred: a
    // transfer would detach it, see BufferPool).
    if (lines.buffer !== into) result.grown = lines.buffer.buffer as ArrayBuffer;
    parentPort!.postMessage(result);
});
const ready: typeof WORKER_READY = 'ready';
parentPort!.postMessage(ready);
