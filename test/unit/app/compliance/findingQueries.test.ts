import { describe, expect, it } from '@jest/globals';

import { InMemoryFindingStore } from '../../../../shared/adapters/memory/InMemoryFindingStore.js';
import { listFindings } from '../../../../shared/app/compliance/findingQueries.js';
import { type Finding, findingId } from '../../../../shared/domain/compliance/finding.js';
import { ValidationError } from '../../../../shared/errors.js';

const NOW = Date.UTC(2026, 11, 2);
const H = 3_600_000;
const f = (mmsi: number, t: number, check: Finding['check'] = 'ais-dark-gap'): Finding => ({
    id: findingId(check, mmsi, [t]),
    check,
    severity: 'warning',
    mmsi,
    firstSeen: t,
    lastSeen: t + H,
    summary: 's',
    evidence: { rule: 'r', source: 's' },
    status: 'open',
    detectedAt: t,
    updatedAt: t,
    ruleVersion: 'v',
});
const params = (q: Record<string, string>) => (n: string) => q[n];

describe('listFindings', () => {
    it('filters, defaults to the last 30 days, pages, and scopes to a vessel', async () => {
        const store = new InMemoryFindingStore();
        await store.save([f(1, NOW - 2 * H), f(2, NOW - 3 * H, 'speed-zone'), f(1, NOW - 40 * 24 * H)]);
        expect((await listFindings(params({}), store, NOW)).items).toHaveLength(2);
        expect(
            (await listFindings(params({ check: 'speed-zone' }), store, NOW)).items.map((x) => x.mmsi),
        ).toEqual([2]);
        expect((await listFindings(params({}), store, NOW, '1')).items.map((x) => x.mmsi)).toEqual([1]);
        const page = await listFindings(params({ limit: '1' }), store, NOW);
        expect(page.continuation).toBeDefined();
        const next = await listFindings(params({ limit: '1', continuation: page.continuation! }), store, NOW);
        expect(next.items[0]!.mmsi).toBe(2);
    });

    it('400s name the bad parameter', async () => {
        const store = new InMemoryFindingStore();
        await expect(listFindings(params({ check: 'nope' }), store, NOW)).rejects.toThrow(ValidationError);
        await expect(listFindings(params({ severity: 'bad' }), store, NOW)).rejects.toThrow(/'severity'/);
        await expect(
            listFindings(params({ from: '2026-12-02', to: '2026-12-01' }), store, NOW),
        ).rejects.toThrow(/'from'/);
        await expect(listFindings(params({}), store, NOW, 'abc')).rejects.toThrow(/'mmsi'/);
    });
});
