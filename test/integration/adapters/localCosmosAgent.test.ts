/**
 * The HTTPS agent of the Cosmos client for a local Cosmos-protocol server bounds its sockets (shared/adapters/clients.ts,
 * LOCAL_COSMOS_AGENT_OPTIONS). Each TLS socket holds its buffers on both ends, and locally both ends are in the stack's
 * process: unbounded, the SDK's concurrent requests opened one keep-alive socket each, kept for ever, and the
 * stack's native memory grew through a soak (README "Fault harness and soak"). Requests beyond the bound wait for a
 * socket; none fails.
 */
import type { Agent } from 'node:https';
import type { Socket } from 'node:net';

import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';

import { LOCAL_COSMOS_AGENT_OPTIONS } from '../../../shared/adapters/clients.js';
import { createTestDatabase, type TestDatabase } from '../../helpers/localServices.js';

let db: TestDatabase;

beforeAll(async () => {
    db = await createTestDatabase('agent');
});

afterAll(async () => {
    await db.dispose();
});

/** The agent the SDK sends through (the option the client was built with). */
function agentOf(database: TestDatabase): Agent {
    const internals = database.client as unknown as {
        clientContext: { cosmosClientOptions: { agent?: Agent } };
    };
    const agent = internals.clientContext.cosmosClientOptions.agent;
    if (agent === undefined) throw new Error('the local Cosmos client has no agent of its own');
    return agent;
}

const count = (sockets: NodeJS.ReadOnlyDict<Socket[]>): number =>
    Object.values(sockets).reduce((n, list) => n + (list?.length ?? 0), 0);

describe('the local Cosmos client agent', () => {
    it('serves 120 concurrent requests over at most maxSockets sockets, all answered, and keeps few idle', async () => {
        const agent = agentOf(db);
        let opened = 0;
        const createConnection = agent.createConnection.bind(agent);
        agent.createConnection = (...args: Parameters<Agent['createConnection']>) => {
            opened++;
            return createConnection(...args);
        };
        await db.vessels.items.upsert({ id: 'state', mmsi: 366000001, docType: 'state' });
        let mostOpen = 0;
        const reads = Array.from({ length: 120 }, async () => {
            const { resource } = await db.vessels.item('state', 366000001).read<{ mmsi: number }>();
            mostOpen = Math.max(mostOpen, count(agent.sockets) + count(agent.freeSockets));
            return resource?.mmsi;
        });
        const answers = await Promise.all(reads);
        expect(answers).toEqual(Array.from({ length: 120 }, () => 366000001));
        expect(opened).toBeGreaterThan(0);
        expect(opened).toBeLessThanOrEqual(LOCAL_COSMOS_AGENT_OPTIONS.maxSockets);
        expect(mostOpen).toBeLessThanOrEqual(LOCAL_COSMOS_AGENT_OPTIONS.maxSockets);
        expect(count(agent.freeSockets)).toBeLessThanOrEqual(LOCAL_COSMOS_AGENT_OPTIONS.maxFreeSockets);
    });
});
