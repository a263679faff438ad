import { readFileSync } from 'node:fs';

import { beforeAll, describe, expect, it } from '@jest/globals';

import { expectWith } from '../helpers/expectWith.js';
import {
    allResources,
    appSettings,
    type ArmTemplate,
    created,
    inlineVariables,
    moduleParameter,
    resolve,
} from './arm.js';
import { CLI_TIMEOUT_MS, compile, MAIN_BICEP, skipWithoutCli } from './bicepCli.js';

/** Built-in roles the template may grant (least privilege: no Owner, Contributor or *Data Owner on Event Hubs). */
const ALLOWED_ROLE_IDS: Record<string, string> = {
    'b7e6dc6d-f1e8-4753-8033-0f276bb0955b': 'Storage Blob Data Owner (host storage only)',
    'ba92f5b4-2d11-453d-a403-e96b0029c9fe': 'Storage Blob Data Contributor',
    '974c5e8b-45b9-4653-ba55-5f855dd0fb88': 'Storage Queue Data Contributor',
    '0a9a7e1f-b9d0-4cc4-a60d-0319b160aaa3': 'Storage Table Data Contributor',
    'a638d3c7-ab3a-418d-83e6-5f17a39d4fde': 'Azure Event Hubs Data Receiver',
    '2b629674-e913-4c01-ae53-ef4638d8f975': 'Azure Event Hubs Data Sender',
    '3913510d-42f4-4e42-8a64-420c390055eb': 'Monitoring Metrics Publisher',
    '4633458b-17de-408a-b874-0445c86b69e6': 'Key Vault Secrets User',
};

/** App settings that must not exist on Flex Consumption (replaced by functionAppConfig). */
const FLEX_DEPRECATED_SETTINGS = [
    'FUNCTIONS_WORKER_RUNTIME',
    'FUNCTIONS_EXTENSION_VERSION',
    'WEBSITE_RUN_FROM_PACKAGE',
    'WEBSITE_CONTENTSHARE',
    'WEBSITE_CONTENTAZUREFILECONNECTIONSTRING',
    'WEBSITE_NODE_DEFAULT_VERSION',
    'SCM_DO_BUILD_DURING_DEPLOYMENT',
    'ENABLE_ORYX_BUILD',
    'WEBSITE_TIME_ZONE',
    'TZ',
    'AzureWebJobsStorage',
];

(skipWithoutCli ? describe.skip : describe)('security posture of main.bicep (compiled ARM JSON)', () => {
    let template: ArmTemplate;
    let json: string;

    beforeAll(async () => {
        template = (await compile(MAIN_BICEP)).template;
        json = JSON.stringify(template);
    }, CLI_TIMEOUT_MS);

    const props = (type: string): Record<string, unknown>[] => {
        const found = created(template, type);
        expectWith(found.length, `${type} resources`).toBeGreaterThan(0);
        return found.map((r) => resolve(r.resource.properties ?? {}, r.scope) as Record<string, unknown>);
    };

    it('never reads keys or connection strings', () => {
        expect(json).not.toMatch(/listKeys\(/i);
        expect(json).not.toMatch(/listConnectionStrings/i);
        expect(json).not.toMatch(/listAccountSas|listServiceSas/i);
    });

    it('puts no secrets into app settings', () => {
        for (const setting of appSettings(template)) {
            const value = JSON.stringify(setting.value);
            expectWith(value, setting.name).not.toMatch(/AccountKey=/i);
            expectWith(value, setting.name).not.toMatch(/SharedAccessKey/i);
            expectWith(value, setting.name).not.toMatch(/InstrumentationKey=/i);
        }
    });

    it('sets no settings that Flex Consumption deprecates', () => {
        const names = appSettings(template).map((s) => s.name);
        for (const name of FLEX_DEPRECATED_SETTINGS) expect(names).not.toContain(name);
    });

    it('disables local (SAS) auth and requires TLS 1.2 on Event Hubs', () => {
        for (const p of props('Microsoft.EventHub/namespaces')) {
            expect(p.disableLocalAuth).toBe(true);
            expect(p.minimumTlsVersion).toBe('1.2');
        }
    });

    it('disables keys and requires TLS 1.2 on Cosmos DB', () => {
        for (const p of props('Microsoft.DocumentDB/databaseAccounts')) {
            expect(p.disableLocalAuth).toBe(true);
            expect(p.disableKeyBasedMetadataWriteAccess).toBe(true);
            expect(p.minimalTlsVersion).toBe('Tls12');
        }
    });

    it('disables local auth on Application Insights', () => {
        for (const p of props('Microsoft.Insights/components')) expect(p.DisableLocalAuth).toBe(true);
    });

    it('forbids shared keys, public blobs, plain HTTP and old TLS on every storage account', () => {
        const accounts = props('Microsoft.Storage/storageAccounts');
        expect(accounts.length).toBe(2);
        for (const p of accounts) {
            expect(p.allowSharedKeyAccess).toBe(false);
            expect(p.allowBlobPublicAccess).toBe(false);
            expect(p.supportsHttpsTrafficOnly).toBe(true);
            expect(p.minimumTlsVersion).toBe('TLS1_2');
        }
        for (const p of props('Microsoft.Storage/storageAccounts/blobServices/containers')) {
            expect(p.publicAccess).toBe('None');
        }
    });

    it('runs the app HTTPS-only on Flex Consumption with a user-assigned identity everywhere', () => {
        const [site] = created(template, 'Microsoft.Web/sites');
        expect(site?.resource.identity?.type).toBe('UserAssigned');
        const p = resolve(site?.resource.properties, site!.scope) as {
            httpsOnly: boolean;
            siteConfig: { minTlsVersion: string; ftpsState: string };
            functionAppConfig: {
                deployment: { storage: { authentication: { type: string } } };
                runtime: { name: string; version: string };
            };
        };
        expect(p.httpsOnly).toBe(true);
        expect(p.siteConfig.minTlsVersion).toBe('1.2');
        expect(p.siteConfig.ftpsState).toBe('Disabled');
        expect(p.functionAppConfig.deployment.storage.authentication.type).toBe('UserAssignedIdentity');
        expect(p.functionAppConfig.runtime).toEqual({ name: 'node', version: '22' });

        const [plan] = created(template, 'Microsoft.Web/serverfarms');
        expect(plan?.resource.sku).toEqual({ name: 'FC1', tier: 'FlexConsumption' });
        expect(plan?.resource.properties?.reserved).toBe(true);

        const settings = Object.fromEntries(appSettings(template).map((s) => [s.name, s.value]));
        expect(settings.EventHubConnection__credential).toBe('managedidentity');
        expect(settings.AzureWebJobsStorage__credential).toBe('managedidentity');
    });

    it('turns off basic-auth publishing (FTP and SCM)', () => {
        const policies = created(template, 'Microsoft.Web/sites/basicPublishingCredentialsPolicies');
        expect(policies.length).toBe(2);
        for (const policy of policies) expect(policy.resource.properties?.allow).toBe(false);
    });

    it('assigns only least-privilege roles, to a service principal, with deterministic names', () => {
        const assignments = created(template, 'Microsoft.Authorization/roleAssignments');
        expect(assignments.length).toBeGreaterThanOrEqual(8);
        const roleOf = (a: (typeof assignments)[number]): string =>
            inlineVariables(String(a.resource.properties?.roleDefinitionId), a.scope);
        for (const a of assignments) {
            const p = a.resource.properties as { principalType: string };
            expectWith(p.principalType, a.symbol).toBe('ServicePrincipal');
            expectWith(String(a.resource.name), a.symbol).toMatch(/^\[guid\(/);
            const roleId = Object.keys(ALLOWED_ROLE_IDS).find((id) => roleOf(a).includes(id));
            expectWith(roleId, `${a.symbol}: ${roleOf(a)}`).toBeDefined();
        }
        // Storage Blob Data Owner is for the host storage only; the lake gets Contributor.
        const owners = assignments.filter((a) => roleOf(a).includes('b7e6dc6d-f1e8-4753-8033-0f276bb0955b'));
        expect(owners.map((o) => o.symbol)).toEqual(['hostBlobOwner']);
    });

    it('creates the gold shard queue and its poison queue in the lake, and grants queue access on those two queues only', () => {
        const queues = created(template, 'Microsoft.Storage/storageAccounts/queueServices/queues');
        expect(queues.map((q) => q.scope.moduleName)).toEqual(['lake']);
        expect(moduleParameter(template, 'lake', 'queueNames')).toEqual([
            'gold-shards',
            'gold-shards-poison',
        ]);
        expect(moduleParameter(template, 'rbac', 'lakeQueueNames')).toEqual([
            'gold-shards',
            'gold-shards-poison',
        ]);
        const queueRole = created(template, 'Microsoft.Authorization/roleAssignments').filter((a) =>
            inlineVariables(String(a.resource.properties?.roleDefinitionId), a.scope).includes(
                '974c5e8b-45b9-4653-ba55-5f855dd0fb88',
            ),
        );
        // Storage Queue Data Contributor: on the host storage (the Functions runtime) and on each lake queue, never the lake account.
        expect(queueRole.map((a) => a.symbol).sort()).toEqual([
            'hostQueueContributor',
            'lakeQueueContributors',
        ]);
        const lakeQueueRole = queueRole.find((a) => a.symbol === 'lakeQueueContributors')!;
        expect(lakeQueueRole.resource.copy).toBeDefined();
        expect(String((lakeQueueRole.resource as { scope?: unknown }).scope)).toContain(
            "resourceId('Microsoft.Storage/storageAccounts/queueServices/queues'",
        );
        const settings = new Map(appSettings(template).map((s) => [s.name, s.value]));
        expect(settings.get('GoldQueueConnection__credential')).toBe('managedidentity');
        expect(String(settings.get('GoldQueueConnection__queueServiceUri'))).toMatch(
            /queueEndpoint|primaryEndpoints/,
        );
    });

    it('grants Cosmos DB data access through the built-in Data Contributor SQL role', () => {
        const [assignment] = created(template, 'Microsoft.DocumentDB/databaseAccounts/sqlRoleAssignments');
        const roleDefinitionId = inlineVariables(
            String(assignment?.resource.properties?.roleDefinitionId),
            assignment!.scope,
        );
        expect(roleDefinitionId).toContain('00000000-0000-0000-0000-000000000002');
    });

    it('keeps Key Vault in RBAC mode with soft delete', () => {
        for (const p of props('Microsoft.KeyVault/vaults')) {
            expect(p.enableRbacAuthorization).toBe(true);
            expect(p.enableSoftDelete).toBe(true);
        }
    });

    it('lets a second `azd up` after `azd down --purge` reuse the vault name (purge protection off by default)', () => {
        // The vault name is deterministic (subscription, resource group, environment), and soft delete keeps a
        // deleted vault's name reserved; with purge protection on it cannot be purged, so the same `azd up`
        // failed for 90 days. Purge protection must stay a parameter, off by default, and azd must map it.
        const vault = created(template, 'Microsoft.KeyVault/vaults')[0]!;
        expect(JSON.stringify(vault.resource.name)).not.toMatch(/utcNow|newGuid/);
        expect(template.parameters?.keyVaultPurgeProtection?.defaultValue).toBe(false);
        const purge = resolve(vault.resource.properties?.enablePurgeProtection, vault.scope);
        // `enablePurgeProtection ? true : null`: false is not accepted by the API, null leaves it off.
        expect(String(purge)).toMatch(/parameters\('enablePurgeProtection'\)/);
        expect(template.parameters?.keyVaultSoftDeleteRetentionDays?.defaultValue).toBe(7);
        const azdParameters = JSON.parse(readFileSync('infra/bicep/main.parameters.json', 'utf8')) as {
            parameters: Record<string, { value: unknown }>;
        };
        expect(azdParameters.parameters.keyVaultPurgeProtection?.value).toBe(
            '${KEY_VAULT_PURGE_PROTECTION=false}',
        );
        expect(azdParameters.parameters.keyVaultSoftDeleteRetentionDays?.value).toBe(
            '${KEY_VAULT_SOFT_DELETE_DAYS=7}',
        );
    });

    it('sends Event Hubs, Cosmos DB and storage diagnostics to Log Analytics', () => {
        const diagnosticModules = new Set(
            created(template, 'Microsoft.Insights/diagnosticSettings').map((d) => d.scope.moduleName),
        );
        for (const module of ['eventHubsNamespace', 'cosmos', 'lake', 'hostStorage', 'keyVault']) {
            expect(diagnosticModules).toContain(module);
        }
        for (const d of created(template, 'Microsoft.Insights/diagnosticSettings')) {
            expect(String(d.resource.properties?.workspaceId)).toContain('workspaceId');
        }
    });

    it('creates every resource through a local module', () => {
        const top = allResources(template).filter((r) => r.scope.parent === undefined);
        for (const r of top) expect(r.resource.type).toBe('Microsoft.Resources/deployments');
    });
});
