/**
 * In-memory SensorStateStore for use-case tests, with the semantics of CosmosSensorStateStore: one document per
 * sensorKey with its own etag, conditional writes (create-if-absent when the expected etag is null, replace-if-match
 * otherwise; `conflict` when that fails, nothing written), results in input order, documents round-tripped through
 * JSON.
 */
import type { SensorState, SensorStateStore, StoredSensorState } from '../../app/ports.js';

export class InMemorySensorStateStore implements SensorStateStore {
    readonly #docs = new Map<string, { state: SensorState; etag: string }>();
    #etagSeq = 0;

    /** Calls to `get` and `write` so far. */
    getCalls = 0;
    writeCalls = 0;
    /** When set, the next `write` call throws this error and writes nothing (then the hook clears). */
    failNextWrite: Error | undefined;

    get(sensorKeys: readonly string[]): Promise<Map<string, StoredSensorState>> {
        this.getCalls++;
        const out = new Map<string, StoredSensorState>();
        for (const key of sensorKeys) {
            const stored = this.state(key);
            if (stored !== undefined) out.set(key, stored);
        }
        return Promise.resolve(out);
    }

    write(
        writes: readonly { state: SensorState; expectedEtag: string | null }[],
    ): Promise<{ sensorKey: string; status: 'ok' | 'conflict' }[]> {
        this.writeCalls++;
        const failure = this.failNextWrite;
        if (failure !== undefined) {
            this.failNextWrite = undefined;
            return Promise.reject(failure);
        }
        return Promise.resolve(
            writes.map(({ state, expectedEtag }) => {
                const stored = this.#docs.get(state.sensorKey);
                const ok = expectedEtag === null ? stored === undefined : stored?.etag === expectedEtag;
                if (!ok) return { sensorKey: state.sensorKey, status: 'conflict' as const };
                this.#docs.set(state.sensorKey, { state: copyState(state), etag: this.#nextEtag() });
                return { sensorKey: state.sensorKey, status: 'ok' as const };
            }),
        );
    }

    forVessel(vesselKey: string): Promise<SensorState[]> {
        return Promise.resolve(
            [...this.#docs.values()]
                .filter((d) => d.state.vesselKey === vesselKey)
                .map((d) => copyState(d.state))
                .sort((a, b) => (a.sensorKey < b.sensorKey ? -1 : a.sensorKey > b.sensorKey ? 1 : 0)),
        );
    }

    // ---- test helpers ----

    /** Stores a state directly (arrange step), replacing any; returns its etag. */
    seed(state: SensorState): string {
        const etag = this.#nextEtag();
        this.#docs.set(state.sensorKey, { state: copyState(state), etag });
        return etag;
    }

    /** The stored state of a sensor (with etag), or undefined. */
    state(sensorKey: string): StoredSensorState | undefined {
        const stored = this.#docs.get(sensorKey);
        return stored === undefined ? undefined : { ...copyState(stored.state), etag: stored.etag };
    }

    /** Every stored state (with etags), by sensorKey. */
    all(): StoredSensorState[] {
        return [...this.#docs.keys()].sort().map((k) => this.state(k)!);
    }

    #nextEtag(): string {
        this.#etagSeq++;
        return `"mem-${this.#etagSeq}"`;
    }
}

/** A JSON copy without an `etag` a caller may pass back in with a stored state (the real store drops it too). */
function copyState(state: SensorState): SensorState {
    const copy = JSON.parse(JSON.stringify(state)) as SensorState & { etag?: unknown };
    delete copy.etag;
    return copy;
}
