import { readFileSync } from 'node:fs';
import path from 'node:path';

import { beforeAll, describe, expect, it } from '@jest/globals';

import { COSMOS_INDEXING } from '../../shared/config/cosmosIndexing.js';
import {
    COSMOS_CONTAINERS,
    EVENT_HUBS,
    LAKE_CONTAINERS,
    type SettingDefinition,
    SETTINGS,
} from '../../shared/config/settingNames.js';
import { expectWith } from '../helpers/expectWith.js';
import { appSettings, type ArmTemplate, moduleParameter } from './arm.js';
import { BICEP_DIR, CLI_TIMEOUT_MS, compile, MAIN_BICEP, REPO_ROOT, skipWithoutCli } from './bicepCli.js';

/** Settings the Functions host reads itself; they are not app configuration, so settingNames.ts omits them. */
const HOST_OWNED_SETTINGS = [
    'AzureWebJobsStorage__credential',
    'AzureWebJobsStorage__clientId',
    'AzureWebJobsStorage__blobServiceUri',
    'AzureWebJobsStorage__queueServiceUri',
    'AzureWebJobsStorage__tableServiceUri',
];

/** Settings local.settings.json needs for `func start` that are host-owned, not app configuration. */
const LOCAL_HOST_SETTINGS = ['FUNCTIONS_WORKER_RUNTIME', 'AzureWebJobsStorage'];

/** Main outputs that are deployment helpers (azd, README), not app settings. */
const HELPER_OUTPUT =
    /^AZURE_(LOCATION|TENANT_ID|RESOURCE_GROUP|FUNCTION_APP_NAME|FUNCTION_APP_URL|KEY_VAULT_URI|ALERTS_ACTION_GROUP_ID)$/;

const inAzure = SETTINGS.filter((s) => s.scope === 'azure' || s.scope === 'both');
const inLocal = SETTINGS.filter((s) => s.scope === 'local' || s.scope === 'both');
const byName = new Map<string, SettingDefinition>(SETTINGS.map((s) => [s.name, s]));

function readJson<T>(file: string): T {
    return JSON.parse(readFileSync(path.join(REPO_ROOT, file), 'utf8')) as T;
}

interface EmulatorConfig {
    UserConfig: {
        NamespaceConfig: {
            Type: string;
            Name: string;
            Entities: { Name: string; PartitionCount: string; ConsumerGroups: { Name: string }[] }[];
        }[];
    };
}

interface HubDefinition {
    name: string;
    partitionCount: number;
    consumerGroups: string[];
}

interface CosmosContainerDefinition {
    name: string;
    partitionKey: string;
    defaultTtl?: number | null;
    indexingPolicy: { includedPaths: { path: string }[]; excludedPaths: { path: string }[] };
}

const emulatorHubs = (): HubDefinition[] =>
    readJson<EmulatorConfig>('emulators/eventhubs-config.json').UserConfig.NamespaceConfig.flatMap((ns) =>
        ns.Entities.map((e) => ({
            name: e.Name,
            partitionCount: Number(e.PartitionCount),
            consumerGroups: e.ConsumerGroups.map((cg) => cg.Name),
        })),
    );

describe('local.settings.sample.json', () => {
    const sample = readJson<{ IsEncrypted: boolean; Values: Record<string, string> }>(
        'local.settings.sample.json',
    );

    it('is unencrypted and runs the Node worker against the emulators', () => {
        expect(sample.IsEncrypted).toBe(false);
        expect(sample.Values.FUNCTIONS_WORKER_RUNTIME).toBe('node');
        expect(sample.Values.AzureWebJobsStorage).toBe('UseDevelopmentStorage=true');
        expect(sample.Values.EventHubConnection).toMatch(/UseDevelopmentEmulator=true;$/);
    });

    it.each(inLocal.map((s) => [s.name, s] as const))(
        'has %s (scope both/local) with its default',
        (name, setting) => {
            expect(Object.keys(sample.Values)).toContain(name);
            if ('defaultValue' in setting) expect(sample.Values[name]).toBe(setting.defaultValue);
        },
    );

    it('has only known settings (no azure-only identity settings that would shadow the emulator strings)', () => {
        for (const name of Object.keys(sample.Values)) {
            if (LOCAL_HOST_SETTINGS.includes(name)) continue;
            expectWith(byName.get(name)?.scope, name).toMatch(/^(local|both)$/);
        }
    });
});

describe('emulators/eventhubs-config.json', () => {
    it.each(EVENT_HUBS.map((h) => [h.name, h] as const))(
        'declares hub %s with its consumer groups',
        (name, hub) => {
            const declared = emulatorHubs().find((h) => h.name === name);
            expectWith(declared, name).toBeDefined();
            expect(declared?.consumerGroups).toEqual(expect.arrayContaining([...hub.consumerGroups]));
        },
    );

    it('stays within the emulator limits (<= 10 hubs, <= 32 partitions, <= 20 consumer groups)', () => {
        const hubs = emulatorHubs();
        expect(hubs.length).toBeLessThanOrEqual(10);
        for (const hub of hubs) expect(hub.partitionCount).toBeLessThanOrEqual(32);
        expect(hubs.flatMap((h) => h.consumerGroups).length).toBeLessThanOrEqual(20);
    });
});

(skipWithoutCli ? describe.skip : describe)('Bicep matches shared/config/settingNames.ts', () => {
    let template: ArmTemplate;

    beforeAll(async () => {
        template = (await compile(MAIN_BICEP)).template;
    }, CLI_TIMEOUT_MS);

    const bicepSettings = () => new Map(appSettings(template).map((s) => [s.name, s.value]));

    it.each(inAzure.map((s) => [s.name, s] as const))('sets app setting %s', (name, setting) => {
        const settings = bicepSettings();
        expect([...settings.keys()]).toContain(name);
        if ('defaultValue' in setting)
            expectWith(settings.get(name), `${name} default`).toBe(setting.defaultValue);
    });

    it('sets only known app settings (settingNames.ts or the host-owned list)', () => {
        for (const name of bicepSettings().keys()) {
            if (HOST_OWNED_SETTINGS.includes(name)) continue;
            expectWith(byName.get(name)?.scope, `${name} is not in settingNames.ts`).toMatch(
                /^(azure|both)$/,
            );
        }
        for (const name of HOST_OWNED_SETTINGS) expect([...bicepSettings().keys()]).toContain(name);
    });

    it('sets no app setting twice', () => {
        const names = appSettings(template).map((s) => s.name);
        expect(new Set(names).size).toBe(names.length);
    });

    it('names outputs exactly as the app settings they feed', () => {
        const outputs = Object.keys(template.outputs ?? {});
        for (const name of outputs) {
            if (HELPER_OUTPUT.test(name)) continue;
            expectWith(byName.has(name), `output ${name} is neither a setting name nor a helper`).toBe(true);
        }
        for (const name of [
            'EventHubConnection__fullyQualifiedNamespace',
            'AIS_EVENTHUB_NAME',
            'AIS_CONSUMER_GROUP',
            'LAKE_BLOB_ENDPOINT',
            'COSMOS_ENDPOINT',
            'COSMOS_DATABASE',
            'AZURE_CLIENT_ID',
            'APPLICATIONINSIGHTS_CONNECTION_STRING',
        ]) {
            expect(outputs).toContain(name);
        }
    });

    it('creates every event hub and consumer group the code uses, as the emulator config does', () => {
        const hubs = moduleParameter(template, 'eventHubsNamespace', 'hubs') as HubDefinition[];
        for (const hub of EVENT_HUBS) {
            const created = hubs.find((h) => h.name === hub.name);
            expectWith(created, hub.name).toBeDefined();
            expect(created?.consumerGroups).toEqual(expect.arrayContaining([...hub.consumerGroups]));
        }
        // Same hubs, consumer groups and (default) partition counts as the emulator.
        const sortByName = (a: HubDefinition, b: HubDefinition): number => a.name.localeCompare(b.name);
        expect([...emulatorHubs()].sort(sortByName)).toEqual([...hubs].sort(sortByName));
    });

    it('lets the app receive from every consumed hub and send to every published one', () => {
        const receivers = moduleParameter(template, 'rbac', 'receiverHubNames') as string[];
        const senders = moduleParameter(template, 'rbac', 'senderHubNames') as string[];
        for (const hub of EVENT_HUBS)
            expect(hub.role === 'consume' ? receivers : senders).toContain(hub.name);
    });

    it('creates every Cosmos DB container with its partition key and default TTL', () => {
        const containers = moduleParameter(template, 'cosmos', 'containers') as CosmosContainerDefinition[];
        for (const expected of COSMOS_CONTAINERS) {
            const created = containers.find((c) => c.name === expected.name);
            expectWith(created, expected.name).toBeDefined();
            expect(created?.partitionKey).toBe(expected.partitionKey);
            // -1: TTL on, no default expiry; null or absent: TTL off, and a per-item `ttl` is ignored.
            expectWith(created?.defaultTtl ?? null, `${expected.name} defaultTtl`).toBe(expected.defaultTtl);
        }
        expect(moduleParameter(template, 'cosmos', 'databaseName')).toBe(
            byName.get('COSMOS_DATABASE')?.defaultValue,
        );
    });

    it('turns TTL on for vessels (per-item ttl of track buckets) and indexes only the queried paths', () => {
        const containers = moduleParameter(template, 'cosmos', 'containers') as CosmosContainerDefinition[];
        const vessels = containers.find((c) => c.name === 'vessels');
        expect(vessels?.defaultTtl).toBe(-1);
        expect(vessels?.indexingPolicy.excludedPaths).toEqual([{ path: '/*' }]);
        expect(vessels?.indexingPolicy.includedPaths.map((p) => p.path).sort()).toEqual(
            [
                '/docType/?',
                '/bucketStart/?',
                '/lastSeen/?',
                '/position/lat/?',
                '/position/lon/?',
                '/static/shipCategory/?',
                '/mmsi/?',
            ].sort(),
        );
    });

    it('indexes only the paths the alert store filters and sorts on, with composites for the newest-first feed', () => {
        const containers = moduleParameter(template, 'cosmos', 'containers') as (CosmosContainerDefinition & {
            indexingPolicy: { compositeIndexes?: { path: string; order: string }[][] };
        })[];
        const alerts = containers.find((c) => c.name === 'alerts');
        expect(alerts?.indexingPolicy.excludedPaths).toEqual([{ path: '/*' }]);
        expect(alerts?.indexingPolicy.includedPaths.map((p) => p.path).sort()).toEqual(
            ['/docType/?', '/kind/?', '/mmsi/?', '/severity/?', '/time/?'].sort(),
        );
        expect(alerts?.indexingPolicy.compositeIndexes?.[0]).toEqual([
            { path: '/docType', order: 'ascending' },
            { path: '/time', order: 'descending' },
        ]);
    });

    it('indexes every Cosmos DB container as the local creation does (COSMOS_INDEXING, used by npx maritime setup)', () => {
        const containers = moduleParameter(template, 'cosmos', 'containers') as CosmosContainerDefinition[];
        for (const expected of COSMOS_CONTAINERS) {
            const created = containers.find((c) => c.name === expected.name);
            expectWith(created?.indexingPolicy, expected.name).toEqual(COSMOS_INDEXING[expected.name]);
        }
    });

    it('indexes gold only on the paths CosmosGoldStore filters and sorts on, with a composite for table + sortKey', () => {
        const containers = moduleParameter(template, 'cosmos', 'containers') as (CosmosContainerDefinition & {
            indexingPolicy: { compositeIndexes?: { path: string; order: string }[][] };
        })[];
        const gold = containers.find((c) => c.name === 'gold');
        expect(gold?.indexingPolicy.excludedPaths).toEqual([{ path: '/*' }]);
        expect(gold?.indexingPolicy.includedPaths.map((p) => p.path).sort()).toEqual(
            ['/day/?', '/kind/?', '/locode/?', '/mmsi/?', '/sortKey/?', '/table/?'].sort(),
        );
        expect(gold?.indexingPolicy.compositeIndexes).toEqual([
            [
                { path: '/table', order: 'ascending' },
                { path: '/sortKey', order: 'ascending' },
            ],
        ]);
    });

    it('creates exactly the lake containers', () => {
        expect(moduleParameter(template, 'lake', 'containerNames')).toEqual([...LAKE_CONTAINERS]);
    });

    it('knows every parameter main.parameters.json sets, which restates defaults or azd placeholders', () => {
        // So `az deployment group create` without the file deploys what `azd up` deploys with it.
        const file = JSON.parse(readFileSync(path.join(BICEP_DIR, 'main.parameters.json'), 'utf8')) as {
            parameters: Record<string, { value: unknown }>;
        };
        for (const [name, { value }] of Object.entries(file.parameters)) {
            const declared = template.parameters?.[name];
            expectWith(declared, name).toBeDefined();
            if (typeof value === 'string' && value.startsWith('${')) continue;
            expectWith(value, `${name} differs from its Bicep default`).toEqual(declared?.defaultValue);
        }
    });
});

describe('host.json', () => {
    interface HostJson {
        version: string;
        functionTimeout: string;
        extensionBundle: { id: string; version: string };
        extensions: { eventHubs: Record<string, unknown> };
        logging: { applicationInsights: { samplingSettings: { excludedTypes: string } } };
    }
    const host = readJson<HostJson>('host.json');

    it('uses the v4 extension bundle range that Flex Consumption requires', () => {
        expect(host.version).toBe('2.0');
        expect(host.extensionBundle).toEqual({
            id: 'Microsoft.Azure.Functions.ExtensionBundle',
            version: '[4.*, 5.0.0)',
        });
    });

    it('never samples away requests or exceptions', () => {
        const excluded = host.logging.applicationInsights.samplingSettings.excludedTypes.split(';');
        expect(excluded).toEqual(expect.arrayContaining(['Request', 'Exception']));
    });

    it('sets the Event Hubs batch explicitly (the extension default changed between versions)', () => {
        const eh = host.extensions.eventHubs;
        expect(typeof eh.maxEventBatchSize).toBe('number');
        expect(eh.minEventBatchSize as number).toBeLessThan(eh.maxEventBatchSize as number);
        expect(eh.prefetchCount as number).toBeGreaterThanOrEqual(eh.maxEventBatchSize as number);
        expect(eh.batchCheckpointFrequency).toBe(1);
    });
});
