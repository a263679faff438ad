/**
 * FindingStore: one contract run against the in-memory fake and CosmosFindingStore on the local Cosmos-protocol
 * server (the real @azure/cosmos SDK).
 */
import { afterEach, beforeEach, describe, expect, it } from '@jest/globals';

import { CosmosFindingStore } from '../../../shared/adapters/CosmosFindingStore.js';
import { InMemoryFindingStore } from '../../../shared/adapters/memory/InMemoryFindingStore.js';
import type { FindingQuery, FindingStore } from '../../../shared/app/ports.js';
import { type ComplianceCheck, type Finding, findingId } from '../../../shared/domain/compliance/finding.js';
import { ValidationError } from '../../../shared/errors.js';
import { createTestDatabase } from '../../helpers/localServices.js';

const T0 = Date.UTC(2026, 10, 24, 6);
const H = 3_600_000;

function finding(
    mmsi: number,
    firstSeen: number,
    over: Partial<Finding> & { check?: ComplianceCheck } = {},
): Finding {
    const check = over.check ?? 'ais-dark-gap';
    return {
        id: findingId(check, mmsi, [firstSeen]),
        check,
        severity: 'warning',
        mmsi,
        firstSeen,
        lastSeen: firstSeen + 7 * H,
        position: { lat: 55, lon: 3 },
        summary: 'AIS dark gap: silent 7 h at sea',
        evidence: {
            rule: 'AIS silent >= 6 h at sea',
            source: 'SOLAS V/19.2.4.7',
            gapHours: 7,
            start: { lat: 55, lon: 3 },
        },
        status: 'open',
        detectedAt: firstSeen + 8 * H,
        updatedAt: firstSeen + 8 * H,
        ruleVersion: 'test',
        ...over,
    };
}

async function allPages(store: FindingStore, q: Omit<FindingQuery, 'continuation'>): Promise<Finding[]> {
    const out: Finding[] = [];
    let continuation: string | undefined;
    let pages = 0;
    do {
        const page = await store.query({ ...q, ...(continuation === undefined ? {} : { continuation }) });
        out.push(...page.items);
        continuation = page.continuation;
    } while (continuation !== undefined && ++pages < 50);
    return out;
}

function contract(
    name: string,
    make: () => Promise<{ store: FindingStore; dispose(): Promise<void> }>,
): void {
    describe(`FindingStore contract: ${name}`, () => {
        let store: FindingStore;
        let sut: { store: FindingStore; dispose(): Promise<void> };
        beforeEach(async () => {
            sut = await make();
            store = sut.store;
        });
        afterEach(async () => sut.dispose());

        it('is idempotent by id: saving again overwrites, the last content wins', async () => {
            const a = finding(1, T0);
            await store.save([a]);
            await store.save([{ ...a, status: 'closed', closedAt: T0 + 20 * H, closedReason: 'late data' }]);
            const items = await allPages(store, { limit: 10 });
            expect(items).toEqual([
                { ...a, status: 'closed', closedAt: T0 + 20 * H, closedReason: 'late data' },
            ]);
        });

        it('filters by period, check, severity, status and mmsi, newest last evidence first', async () => {
            const fs = [
                finding(1, T0),
                finding(1, T0 + 24 * H, { check: 'speed-zone', severity: 'critical' }),
                finding(2, T0 + 48 * H, { status: 'closed' }),
                finding(3, T0 + 72 * H, { check: 'sulphur-eca', severity: 'critical' }),
            ];
            await store.save(fs);
            const ids = async (q: Omit<FindingQuery, 'limit'>) =>
                (await allPages(store, { limit: 100, ...q })).map((f) => f.firstSeen - T0);
            expect(await ids({})).toEqual([72 * H, 48 * H, 24 * H, 0]);
            expect(await ids({ check: 'ais-dark-gap' })).toEqual([48 * H, 0]);
            expect(await ids({ severity: 'critical' })).toEqual([72 * H, 24 * H]);
            expect(await ids({ status: 'open' })).toEqual([72 * H, 24 * H, 0]);
            expect(await ids({ mmsi: 1 })).toEqual([24 * H, 0]);
            // Overlap with [from, to]: ends at or after `from`, starts at or before `to`.
            expect(await ids({ from: T0 + 7 * H, to: T0 + 24 * H })).toEqual([24 * H, 0]);
            expect(await ids({ from: T0 + 7 * H + 1, to: T0 + 24 * H - 1 })).toEqual([]);
        });

        it('pages with a continuation token, every finding once; a garbled token is a ValidationError', async () => {
            await store.save(Array.from({ length: 7 }, (_, i) => finding(10 + (i % 3), T0 + i * H)));
            const first = await store.query({ limit: 3 });
            expect(first.items).toHaveLength(3);
            expect(first.continuation).toEqual(expect.any(String));
            const all = await allPages(store, { limit: 3 });
            expect(all.map((f) => f.firstSeen)).toEqual(
                Array.from({ length: 7 }, (_, i) => T0 + (6 - i) * H),
            );
            await expect(store.query({ limit: 3, continuation: 'garbage' })).rejects.toBeInstanceOf(
                ValidationError,
            );
        });

        it('forReconciliation: the findings of the checks with last evidence in the window, plus the asked ids', async () => {
            const inWindow = finding(1, T0); // lastSeen T0 + 7 h
            const otherCheck = finding(1, T0 + H, { check: 'speed-zone' });
            const before = finding(2, T0 - 48 * H);
            const closed = finding(3, T0 + 2 * H, { status: 'closed' });
            await store.save([inWindow, otherCheck, before, closed]);
            const got = await store.forReconciliation(
                [{ checks: ['ais-dark-gap'], from: T0, to: T0 + 24 * H }],
                [{ mmsi: 2, id: before.id }],
            );
            expect(got.map((f) => f.id).sort()).toEqual([before.id, closed.id, inWindow.id].sort());
            expect(await store.forReconciliation([], [])).toEqual([]);
        });
    });
}

contract('in-memory fake', () =>
    Promise.resolve({ store: new InMemoryFindingStore(), dispose: () => Promise.resolve() }),
);

contract('CosmosFindingStore on the Cosmos-protocol server', async () => {
    const db = await createTestDatabase('findings');
    return {
        store: new CosmosFindingStore(db.client.database(db.databaseId).container('findings')),
        dispose: () => db.dispose(),
    };
});
