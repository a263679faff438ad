/**
 * The composition root (functions/runtime.ts): what it builds from the config alone, what a caller's adapters
 * replace, and the per-invocation dependencies it hands the handlers. Nothing here connects to anything.
 */
import { InvocationContext } from '@azure/functions';
import { describe, expect, it } from '@jest/globals';

import { ingestAis } from '../../../functions/ingestAis.js';
import { createRuntime } from '../../../functions/runtime.js';
import { watchCollisions } from '../../../functions/watchCollisions.js';
import { DuckDbSilverCompactor } from '../../../shared/adapters/DuckDbSilverCompactor.js';
import { InMemoryAlertStore } from '../../../shared/adapters/memory/InMemoryAlertStore.js';
import { InMemoryDeadLetterStore } from '../../../shared/adapters/memory/InMemoryDeadLetterStore.js';
import { InMemoryLake } from '../../../shared/adapters/memory/InMemoryLake.js';
import { InMemoryVesselStore } from '../../../shared/adapters/memory/InMemoryVesselStore.js';
import { RecordingAlertPublisher } from '../../../shared/adapters/memory/RecordingAlertPublisher.js';
import type { OpenLineageRunEvent } from '../../../shared/app/lineage.js';
import { loadConfig } from '../../../shared/config/loadConfig.js';
import { portList } from '../../../shared/domain/reference/lookup.js';
import { RecordingLogger, RecordingMetrics } from '../../fakes/RecordingTelemetry.js';
import { aisPositionEvent, NOW } from '../../helpers/factories.js';
import { testTimer } from '../../helpers/timers.js';

// Settings of a local stack that is never connected (every adapter a test uses is given or never asked for).
const SETTINGS = {
    LAKE_CONNECTION_STRING: 'UseDevelopmentStorage=true',
    COSMOS_ENDPOINT: 'https://127.0.0.1:1/',
    COSMOS_KEY: 'a2V5',
};

function recordingSink(): { events: OpenLineageRunEvent[]; write(e: OpenLineageRunEvent): Promise<void> } {
    const events: OpenLineageRunEvent[] = [];
    return { events, write: (e) => Promise.resolve(void events.push(e)) };
}

function fakes() {
    return {
        lake: new InMemoryLake(() => NOW),
        vessels: new InMemoryVesselStore(),
        alerts: new InMemoryAlertStore(),
        publisher: new RecordingAlertPublisher(),
        deadLetters: new InMemoryDeadLetterStore(),
        clock: { now: () => NOW },
        metrics: new RecordingMetrics(),
    };
}

describe('createRuntime', () => {
    it('gives the gold builds GOLD_DUCKDB_MEMORY_LIMIT and compaction COMPACTION_DUCKDB_MEMORY_LIMIT, each its own', async () => {
        const rt = createRuntime(
            loadConfig({
                ...SETTINGS,
                GOLD_DUCKDB_MEMORY_LIMIT: '96MB',
                COMPACTION_DUCKDB_MEMORY_LIMIT: '160MB',
            }),
            { adapters: { lake: new InMemoryLake(() => NOW) } },
        );
        const { DuckDBInstance } = await import('@duckdb/node-api');
        const limitOf = async (query: (sql: string) => Promise<unknown>): Promise<unknown> =>
            query("SELECT current_setting('memory_limit') AS limit_");
        // DuckDB prints a limit in its own units (91.5 MiB for 96MB): compare with a DuckDB opened at each.
        const expected = async (limit: string): Promise<unknown> => {
            const db = await DuckDBInstance.create(':memory:', { memory_limit: limit });
            try {
                const reader = await (
                    await db.connect()
                ).runAndReadAll("SELECT current_setting('memory_limit') AS limit_");
                return reader.getRowObjects()[0]?.limit_;
            } finally {
                db.closeSync();
            }
        };
        // The engine of buildGold, buildGoldShard and buildSensorHourly (goldJobDeps): a real session's setting.
        const engine = (await rt.goldJobDeps(new RecordingLogger())).engine;
        const session = await engine.open([], { index: 0, count: 1 });
        try {
            const [row] = (await limitOf((sql) => session.query(sql))) as { limit_: unknown }[];
            expect(row?.limit_).toBe(await expected('96MB'));
            expect(row?.limit_).not.toBe(await expected('160MB'));
        } finally {
            await session.close();
        }
        // compactSilver's merge: its own setting.
        const compactor = rt.compactionDeps(new RecordingLogger()).compactor;
        expect(compactor).toBeInstanceOf(DuckDbSilverCompactor);
        expect((compactor as DuckDbSilverCompactor).memoryLimit).toBe('160MB');
        rt.dispose();
    });

    it('builds each adapter once, on first use, from the config alone', () => {
        const rt = createRuntime(loadConfig(SETTINGS));
        expect(rt.lake).toBe(rt.lake);
        expect(rt.vessels).toBe(rt.vessels);
        expect(rt.zones).toBe(rt.zones);
        // The lake's lineage container, named by the blob endpoint of the configured lake.
        expect(rt.lineage?.lakeNamespace).toBe('azblob://127.0.0.1:10000/devstoreaccount1');
        // No Event Hubs configured (the embedded stack): alerts are printed, dead letters go to a folder.
        expect(rt.publisher.constructor.name).toBe('ConsoleAlertPublisher');
        expect(rt.deadLetters.constructor.name).toBe('FileDeadLetterStore');
        rt.dispose();
    });

    it("records no lineage for a runtime given its own lake (the default sink is the configured lake's)", () => {
        expect(createRuntime(loadConfig(SETTINGS), { adapters: fakes() }).lineage).toBeUndefined();
        const sink = recordingSink();
        const rt = createRuntime(loadConfig(SETTINGS), {
            adapters: { ...fakes(), lineage: { sink, lakeNamespace: 'azblob://lake' } },
        });
        expect(rt.lineage?.sink).toBe(sink);
    });

    it("gives an ingest batch's lineage the hub's name and the Event Hubs namespace of the config", async () => {
        const sink = recordingSink();
        const rt = createRuntime(
            loadConfig({
                ...SETTINGS,
                EventHubConnection__fullyQualifiedNamespace: 'ns.servicebus.windows.net',
            }),
            {
                adapters: { ...fakes(), lineage: { sink, lakeNamespace: 'azblob://lake' } },
            },
        );
        const deps = rt.deadLetterDeps(
            { clock: rt.clock, logger: new RecordingLogger(), metrics: rt.metrics },
            'ais-raw',
        );
        expect(deps.lineage).toMatchObject({
            hubNamespace: 'eventhub://ns.servicebus.windows.net',
            hubName: 'ais-raw',
            lakeNamespace: 'azblob://lake',
        });
        expect(deps.deadLetters).toBe(rt.deadLetters);

        // Through the handler: one lineage record for the batch, the landed batch reported to the observer.
        const landed: string[] = [];
        const observed = createRuntime(rt.config, {
            adapters: { ...fakes(), lineage: { sink, lakeNamespace: 'azblob://lake' } },
            onBatchLanded: (b) => landed.push(b.source),
        });
        const context = new InvocationContext({
            functionName: 'ingestAis',
            triggerMetadata: { partitionContext: { partitionId: '0' } },
            logHandler: () => undefined,
        });
        const summary = await ingestAis(observed, [Buffer.from(JSON.stringify(aisPositionEvent()))], context);
        expect(summary).toMatchObject({ received: 1, accepted: 1 });
        expect(landed).toEqual(['ais']);
        expect(sink.events).toHaveLength(1);
        expect(JSON.stringify(sink.events[0])).toContain('eventhub://ns.servicebus.windows.net');
    });

    it('gives the timers that read or write Cosmos state lineage with the database namespace (watchCollisions through its handler)', async () => {
        const sink = recordingSink();
        const rt = createRuntime(loadConfig({ ...SETTINGS, COSMOS_DATABASE: 'maritime' }), {
            adapters: { ...fakes(), lineage: { sink, lakeNamespace: 'azblob://lake' } },
        });
        const logger = new RecordingLogger();
        for (const deps of [
            rt.collisionDeps(logger),
            rt.complianceDeps(logger),
            rt.maintenanceScoreDeps(logger),
        ]) {
            expect(deps).toMatchObject({
                lineage: sink,
                lakeNamespace: 'azblob://lake',
                cosmosNamespace: 'azurecosmos://127.0.0.1:1/dbs/maritime',
            });
        }
        expect(
            createRuntime(loadConfig(SETTINGS), { adapters: fakes() }).collisionDeps(logger).lineage,
        ).toBeUndefined();

        const context = new InvocationContext({
            functionName: 'watchCollisions',
            logHandler: () => undefined,
        });
        await watchCollisions(rt, testTimer(), context);
        expect(sink.events).toHaveLength(1);
        expect(sink.events[0]).toMatchObject({
            eventType: 'COMPLETE',
            job: { name: 'watchCollisions' },
            inputs: [{ namespace: 'azurecosmos://127.0.0.1:1/dbs/maritime', name: 'colls/vessels' }],
        });
    });

    it('refuses a maintenance model trained for another horizon than MAINTENANCE_HORIZON_DAYS, naming both', () => {
        const rt = createRuntime(loadConfig({ ...SETTINGS, MAINTENANCE_HORIZON_DAYS: '13' }), {
            adapters: fakes(),
        });
        expect(() => rt.maintenanceScoreSettings).toThrow(
            /MAINTENANCE_HORIZON_DAYS is 13 but config\/maintenance-model\.json predicts failures within \d+ days/,
        );
    });

    it('gives gold and compliance the one port list, each port with its own area (radius_nm): one notion of in port', () => {
        const rt = createRuntime(loadConfig(SETTINGS), { adapters: fakes() });
        const ports = portList();
        expect(rt.compliancePorts).toEqual(ports);
        for (const p of ports) expect(rt.ports.get(p.locode)).toBe(p);
    });

    it('takes the maintenance hub name of the lineage from MAINTENANCE_EVENTHUB_NAME', () => {
        expect(loadConfig(SETTINGS).maintenance.hubName).toBe('maintenance-events');
        expect(loadConfig({ ...SETTINGS, MAINTENANCE_EVENTHUB_NAME: 'mx' }).maintenance.hubName).toBe('mx');
    });
});
