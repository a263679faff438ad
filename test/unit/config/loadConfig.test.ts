import { describe, expect, it } from '@jest/globals';

import { loadConfig } from '../../../shared/config/loadConfig.js';
import { ConfigError } from '../../../shared/errors.js';

const LOCAL = {
    LAKE_CONNECTION_STRING: 'UseDevelopmentStorage=true',
    COSMOS_ENDPOINT: 'https://127.0.0.1:8081/',
    COSMOS_KEY: 'a2V5',
};

describe('loadConfig', () => {
    it('applies the defaults of SETTINGS', () => {
        const c = loadConfig(LOCAL);
        expect(c.cosmos).toEqual({ endpoint: 'https://127.0.0.1:8081/', key: 'a2V5', database: 'maritime' });
        expect(c.lake).toEqual({ connectionString: 'UseDevelopmentStorage=true' });
        expect(c.eventHub).toEqual({ aisHubName: 'ais-raw', aisConsumerGroup: 'ingest-ais' });
        expect(c.ingest).toEqual({
            eventTimeFutureToleranceSeconds: 300,
            eventTimeMaxAgeDays: 30,
            implausibleSpeedKnots: 50,
            h3Resolution: 7,
        });
        expect(c.trackTtlDays).toBe(30);
        expect(Object.isFrozen(c) && Object.isFrozen(c.ingest)).toBe(true);
    });

    it('reads the Azure (identity) form', () => {
        const c = loadConfig({
            LAKE_BLOB_ENDPOINT: 'https://lake.blob.core.windows.net',
            COSMOS_ENDPOINT: 'https://acct.documents.azure.com:443/',
            AZURE_CLIENT_ID: '00000000-0000-0000-0000-000000000001',
            TRACK_TTL_DAYS: '7',
            H3_RESOLUTION: ' 9 ',
        });
        expect(c.lake).toEqual({ blobEndpoint: 'https://lake.blob.core.windows.net' });
        expect(c.cosmos.key).toBeUndefined();
        expect(c.azureClientId).toBe('00000000-0000-0000-0000-000000000001');
        expect(c.trackTtlDays).toBe(7);
        expect(c.ingest.h3Resolution).toBe(9);
    });

    it('reports every problem at once', () => {
        let error: unknown;
        try {
            loadConfig({
                COSMOS_ENDPOINT: 'not a url',
                TRACK_TTL_DAYS: 'x',
                H3_RESOLUTION: '16',
                IMPLAUSIBLE_SPEED_KNOTS: '',
            });
        } catch (e) {
            error = e;
        }
        expect(error).toBeInstanceOf(ConfigError);
        const problems = (error as ConfigError).problems;
        expect(problems).toHaveLength(4);
        expect(problems.join('\n')).toMatch(/LAKE_CONNECTION_STRING .*or LAKE_BLOB_ENDPOINT/);
        expect(problems.join('\n')).toMatch(/COSMOS_ENDPOINT must be a URL/);
        expect(problems.join('\n')).toMatch(/TRACK_TTL_DAYS must be a number, got 'x'/);
        expect(problems.join('\n')).toMatch(/H3_RESOLUTION must be in 0..15/);
        expect((error as Error).message).toContain('- H3_RESOLUTION');
    });

    it('requires COSMOS_ENDPOINT, and COSMOS_KEY for a local endpoint', () => {
        expect(() => loadConfig({ LAKE_CONNECTION_STRING: 'x' })).toThrow(/COSMOS_ENDPOINT is required/);
        expect(() =>
            loadConfig({ LAKE_CONNECTION_STRING: 'x', COSMOS_ENDPOINT: 'https://localhost:8081' }),
        ).toThrow(/COSMOS_KEY is required/);
    });
});
