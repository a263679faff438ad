/**
 * The local Cosmos-protocol server's direct data access (its worker thread) (local/cosmosServer.ts), used by the local stack's
 * snapshots: documents loaded straight into memory are read back through the real @azure/cosmos SDK, and a dump
 * gives them back without system properties. Fails if an upgrade of @vercel/cosmosdb-server changes its internals.
 */
import { afterAll, describe, expect, it } from '@jest/globals';

import { type CosmosServer, startCosmosServer } from '../../../local/cosmosServer.js';
import { ensureCosmosResources } from '../../../local/cosmosSetup.js';
import { LOCAL_COSMOS_KEY } from '../../../local/services.js';
import { createCosmosClient } from '../../../shared/adapters/clients.js';

let server: CosmosServer | undefined;

afterAll(async () => {
    await server?.stop();
});

describe('local Cosmos-protocol server, direct data access', () => {
    it('loads documents into memory that the SDK then reads, queries and replaces; dump returns them without system properties', async () => {
        server = await startCosmosServer(0);
        const client = createCosmosClient({ endpoint: `https://127.0.0.1:${server.port}/`, key: LOCAL_COSMOS_KEY, database: 'snap' });
        try {
            const db = await ensureCosmosResources(client, 'snap');
            const docs = Array.from({ length: 500 }, (_, i) => ({ id: 'state', mmsi: 366000000 + i, docType: 'state', lastSeen: 1_700_000_000_000 + i, _etag: 'old', _ts: 1 }));
            await expect(server.load('snap', { vessels: docs, alerts: [] })).resolves.toBe(500);
            const { resource } = await db.container('vessels').item('state', 366000007).read<{ lastSeen: number; _etag: string }>();
            expect(resource?.lastSeen).toBe(1_700_000_000_007);
            expect(resource?._etag).not.toBe('old');
            const { resources } = await db.container('vessels').items.query<{ mmsi: number }>('SELECT c.mmsi FROM c WHERE c.lastSeen >= 1700000000490').fetchAll();
            expect(resources.map((r) => r.mmsi).sort()).toEqual(Array.from({ length: 10 }, (_, i) => 366000490 + i));
            // The SDK's conditional replace works on a loaded document (its etag is a fresh one).
            await db.container('vessels').item('state', 366000007).replace({ id: 'state', mmsi: 366000007, docType: 'state', lastSeen: 1 }, { accessCondition: { type: 'IfMatch', condition: resource?._etag as string } });
            const dumped = await server.dump('snap');
            expect(dumped.vessels).toHaveLength(500);
            expect(dumped.vessels?.find((d) => d.mmsi === 366000007)).toEqual({ id: 'state', mmsi: 366000007, docType: 'state', lastSeen: 1 });
            expect(Object.keys(dumped.vessels?.[0] ?? {}).filter((k) => k.startsWith('_'))).toEqual([]);
            await expect(server.dump('no-such-database')).resolves.toEqual({});
            await expect(server.load('snap', { nope: [{ id: 'x' }] })).rejects.toThrow(/container snap\/nope does not exist/);
        } finally {
            client.dispose();
        }
    });
});
