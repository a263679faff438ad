/**
 * Per-sensor state in Cosmos DB, container `sensorState` (partition key `/sensorKey`). One document per sensor,
 * its id a Cosmos-safe form of the sensorKey (`sensorDocumentId`), each in its own logical partition. Writes are
 * conditional: Create when the caller saw no document (expected etag null), Replace with `ifMatch` otherwise; a
 * document that changed (412), appeared (409) or vanished (404) since it was read comes back as `conflict`, and
 * the caller re-reads, re-applies and retries.
 *
 * Local server quirks: it has no 429s or TTL (the queries here are cross-partition).
 */
import type { Container } from '@azure/cosmos';

import type { SensorState, SensorStateStore, StoredSensorState } from '../app/ports.js';
import { fnv1a } from '../domain/hash.js';
import { PipelineError } from '../errors.js';
import { CosmosStore, mapLimit, withoutSystemFields } from './cosmosSupport.js';
import { fromSdkError, statusOf } from './fromSdkError.js';

export interface CosmosSensorStateStoreOptions {
    /** Sensors written in parallel by `write` (default 16). */
    concurrency?: number;
}

/** ARRAY_CONTAINS parameter size per query in `get`. */
export const MAX_SENSOR_KEYS_PER_QUERY = 1000;
/** Document fields that are not part of the sensor state (besides the Cosmos system properties). */
const DOCUMENT_FIELDS = ['id', 'docType', 'ttl', 'etag'] as const;
/** Characters Cosmos DB forbids in ids. */
const FORBIDDEN = /[/\\?#]/g;

type SensorDocument = SensorState & { id: string; _etag?: string };

export type SensorWriteStatus = 'ok' | 'conflict';

/**
 * The document id of a sensor: the sensorKey with the characters Cosmos forbids in ids (`/ \ ? #`) replaced by
 * `_`, capped at 255 characters (a readable head and a hash of the whole). Ids only need to be unique within a
 * partition, and the partition is the sensorKey itself, so two keys sanitising alike cannot collide.
 */
export function sensorDocumentId(sensorKey: string): string {
    const id = sensorKey.replace(FORBIDDEN, '_');
    return id.length <= 255 ? id : `${id.slice(0, 230)}~${fnv1a(sensorKey)}`;
}

export class CosmosSensorStateStore extends CosmosStore implements SensorStateStore {
    constructor(container: Container, options: CosmosSensorStateStoreOptions = {}) {
        super(container, options.concurrency);
    }

    async get(sensorKeys: readonly string[]): Promise<Map<string, StoredSensorState>> {
        const unique = [...new Set(sensorKeys)];
        const out = new Map<string, StoredSensorState>();
        for (let i = 0; i < unique.length; i += MAX_SENSOR_KEYS_PER_QUERY) {
            const chunk = unique.slice(i, i + MAX_SENSOR_KEYS_PER_QUERY);
            const docs = await this.queryAll<SensorDocument>(
                {
                    query: 'SELECT * FROM c WHERE ARRAY_CONTAINS(@keys, c.sensorKey)',
                    parameters: [{ name: '@keys', value: chunk }],
                },
                { maxItemCount: MAX_SENSOR_KEYS_PER_QUERY },
                'getSensorStates',
            );
            for (const doc of docs) out.set(doc.sensorKey, { ...toSensorState(doc), etag: doc._etag ?? '' });
        }
        return out;
    }

    async write(
        writes: readonly { state: SensorState; expectedEtag: string | null }[],
    ): Promise<{ sensorKey: string; status: SensorWriteStatus }[]> {
        return mapLimit(writes, this.concurrency, async (w) => ({
            sensorKey: w.state.sensorKey,
            status: await this.#writeOne(w.state, w.expectedEtag),
        }));
    }

    async forVessel(vesselKey: string): Promise<SensorState[]> {
        const docs = await this.queryAll<SensorDocument>(
            {
                query: 'SELECT * FROM c WHERE c.vesselKey = @vesselKey',
                parameters: [{ name: '@vesselKey', value: vesselKey }],
            },
            { maxItemCount: 1000 },
            'sensorStatesForVessel',
        );
        return docs
            .map(toSensorState)
            .sort((a, b) => (a.sensorKey < b.sensorKey ? -1 : a.sensorKey > b.sensorKey ? 1 : 0));
    }

    async #writeOne(state: SensorState, expectedEtag: string | null): Promise<SensorWriteStatus> {
        if (typeof state.sensorKey !== 'string' || state.sensorKey.length === 0)
            throw new PipelineError('sensor state without a sensorKey');
        const id = sensorDocumentId(state.sensorKey);
        const doc: SensorDocument = { ...stripSystemFields(state), id };
        this.counters.requests++;
        try {
            const response =
                expectedEtag === null
                    ? await this.container.items.create(doc)
                    : await this.container
                          .item(id, state.sensorKey)
                          .replace(doc, { accessCondition: { type: 'IfMatch', condition: expectedEtag } });
            this.counters.requestCharge += response.requestCharge ?? 0;
            return 'ok';
        } catch (error) {
            const status = statusOf(error);
            // 412: etag changed; 409: created meanwhile; 404: deleted meanwhile.
            if (status === 412 || status === 409 || status === 404) return 'conflict';
            // Transient (408/429/449/5xx, network, 401/403) → DependencyError; anything else → PipelineError.
            throw fromSdkError(error, `write sensor state ${state.sensorKey}`);
        }
    }
}

function toSensorState(doc: SensorDocument): SensorState {
    return stripSystemFields(doc);
}

/** A copy without Cosmos system fields (and without an `etag` a caller may pass back in a stored state). */
function stripSystemFields(state: SensorState): SensorState {
    return withoutSystemFields(state, DOCUMENT_FIELDS) as unknown as SensorState;
}
