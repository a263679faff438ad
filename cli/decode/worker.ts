/**
 * A `maritime decode` worker thread: decodes chunks of NMEA lines into output bytes (cli/decode/nmeaChunk.ts).
 * The protocol is in cli/decode/nmeaParallel.ts.
 */
import { parentPort, workerData } from 'node:worker_threads';

import { type ChunkJob, type NmeaOutputOptions, runChunkJob } from './nmeaChunk.js';

const opts = workerData as NmeaOutputOptions;

parentPort!.on('message', (job: ChunkJob) => {
    const result = runChunkJob(job, opts);
    parentPort!.postMessage(result, [result.output, result.input]);
});
