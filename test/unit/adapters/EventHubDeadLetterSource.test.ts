import { DefaultAzureCredential } from '@azure/identity';
import { describe, expect, it } from '@jest/globals';

import { createBlobServiceClient } from '../../../shared/adapters/clients.js';
import { splitLetter } from '../../../shared/adapters/EventHubDeadLetterSink.js';
import {
    appDeadLetterSource,
    type DeadLetterEvent,
    EventHubDeadLetterSource,
} from '../../../shared/adapters/EventHubDeadLetterSource.js';
import { FileDeadLetterStore } from '../../../shared/adapters/FileDeadLetterStore.js';
import { InMemoryLake } from '../../../shared/adapters/memory/InMemoryLake.js';
import type { DeadLetter } from '../../../shared/app/ports.js';
import { loadConfig } from '../../../shared/config/loadConfig.js';

const letter = (batchId: string, n: number, failedAt = 1_000): DeadLetter => ({
    functionName: 'ingestAis',
    source: 'ais',
    batchId,
    attempts: 6,
    error: 'e',
    failedAt,
    items: n,
    events: Array.from({ length: n }, (_, i) => ({
        body: `body-${batchId}-${i}-${'x'.repeat(200)}`,
        meta: { partitionId: '0', sequenceNumber: i, enqueuedTime: 1 },
    })),
});

/** The events EventHubDeadLetterSink would have sent for these letters (parts as it splits them). */
function hubEvents(letters: DeadLetter[], maxBytes: number): DeadLetterEvent[] {
    return letters.flatMap((l) => {
        const parts = splitLetter(l, maxBytes);
        return parts.map((p, i) => ({
            body: Buffer.from(JSON.stringify(p)),
            properties: {
                source: l.source,
                batchId: l.batchId,
                part: String(i + 1),
                parts: String(parts.length),
            },
        }));
    });
}

const reader = (events: DeadLetterEvent[]) => ({
    async *readAll() {
        for (const e of events) yield await Promise.resolve(e);
    },
    close: () => Promise.resolve(),
});

async function all(source: EventHubDeadLetterSource) {
    const out = [];
    for await (const x of source.read()) out.push(x);
    return out;
}

describe('dead letters read back from the event hub', () => {
    it('puts split letters back together, skips unreadable events and letters missing a part', async () => {
        const big = letter('0-1-8', 8);
        const events = [
            ...hubEvents([big, letter('0-9-9', 1)], 1_000),
            { body: Buffer.from('not json') },
            ...hubEvents([letter('0-10-13', 4, 2_000)], 1_000).slice(1),
        ];
        expect(events.length).toBeGreaterThan(4);
        const source = new EventHubDeadLetterSource(reader(events), new InMemoryLake(), 'ingest-deadletter');
        const got = await all(source);
        expect(got.map((g) => g.id)).toEqual(['ais-0-1-8-1000', 'ais-0-9-9-1000']);
        expect(got[0]!.letter).toEqual(big);
        expect(source.unreadable).toHaveLength(1);
        expect(source.incomplete).toEqual([expect.stringMatching(/^ais-0-10-13-2000: \d of \d part\(s\)$/)]);
    });

    it('marks a re-driven letter done in the lake, so the next read skips it', async () => {
        const lake = new InMemoryLake();
        const events = hubEvents([letter('0-1-1', 1), letter('0-2-2', 1)], 900_000);
        const first = new EventHubDeadLetterSource(reader(events), lake, 'ingest-deadletter');
        await first.remove((await all(first))[0]!.id);
        expect(lake.paths('lineage')).toEqual([
            'deadletter-redriven/ingest-deadletter/ais-0-1-1-1000.jsonl.gz',
        ]);
        const again = await all(new EventHubDeadLetterSource(reader(events), lake, 'ingest-deadletter'));
        expect(again.map((g) => g.id)).toEqual(['ais-0-2-2-1000']);
    });
});

describe('the Azure settings path of maritime rebuild', () => {
    const azure = {
        LAKE_BLOB_ENDPOINT: 'https://lake.blob.core.windows.net/',
        COSMOS_ENDPOINT: 'https://acct.documents.azure.com:443/',
        EventHubConnection__fullyQualifiedNamespace: 'ns.servicebus.windows.net',
        AZURE_CLIENT_ID: '00000000-0000-0000-0000-000000000001',
    };

    it('reads the dead-letter event hub of the namespace, and the lake with DefaultAzureCredential (no keys)', async () => {
        const config = loadConfig(azure);
        const source = appDeadLetterSource(config, new InMemoryLake());
        expect(source).toBeInstanceOf(EventHubDeadLetterSource);
        expect(source.where).toBe('the event hub ingest-deadletter (ns.servicebus.windows.net)');
        await source.close();
        expect(createBlobServiceClient(config.lake, config.azureClientId).credential).toBeInstanceOf(
            DefaultAzureCredential,
        );
    });

    it('uses DEADLETTER_DIR when set, and says what is missing when neither is', () => {
        expect(
            appDeadLetterSource(loadConfig({ ...azure, DEADLETTER_DIR: '/tmp/dl' }), new InMemoryLake()),
        ).toBeInstanceOf(FileDeadLetterStore);
        const { EventHubConnection__fullyQualifiedNamespace: _, ...noHub } = azure;
        expect(() => appDeadLetterSource(loadConfig(noHub), new InMemoryLake())).toThrow(
            /EventHubConnection__fullyQualifiedNamespace[\s\S]*--local/,
        );
    });
});
