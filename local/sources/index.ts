/** The local event sources behind `maritime start`, `maritime replay` and `maritime send`. */
import { type SimulatorOptions, SimulatorSource } from '../simulator/SimulatorSource.js';
import { type NetworkOptions, NetworkSource } from './NetworkSource.js';
import { type ReplayOptions, ReplaySource } from './ReplaySource.js';
import type { EventSource } from './types.js';

export type SourceSpec =
    | { kind: 'simulator'; options?: SimulatorOptions }
    | ({ kind: 'replay'; files: string[]; rate?: number } & Omit<ReplayOptions, 'rate'>)
    | ({ kind: 'listen'; url: string } & NetworkOptions);

/**
 * @example
 * const source = createSource({ kind: 'replay', files: ['day.nmea'], rate: 500 });
 * await source.start((events) => host.publish(events));
 * await source.done;
 */
export function createSource(spec: SourceSpec): EventSource {
    switch (spec.kind) {
        case 'simulator':
            return new SimulatorSource(spec.options);
        case 'replay': {
            const { files, kind: _kind, ...options } = spec;
            return new ReplaySource(files, options);
        }
        case 'listen': {
            const { url, kind: _kind, ...options } = spec;
            return new NetworkSource(url, options);
        }
    }
}

export { SimulatorSource } from '../simulator/SimulatorSource.js';
export { NetworkSource, parseListenUrl } from './NetworkSource.js';
export { ReplaySource } from './ReplaySource.js';
export type { EmitFn, EventSource, SourceEvent } from './types.js';
export { UNKNOWN_PARTITION_KEY } from './types.js';
