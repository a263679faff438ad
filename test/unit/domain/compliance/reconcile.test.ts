import { describe, expect, it } from '@jest/globals';

import { type FindingDraft, reconcileFindings } from '../../../../shared/domain/compliance/index.js';

const H = 3_600_000;
const D0 = Date.UTC(2026, 10, 24);
const scope = { checks: ['ais-dark-gap' as const], start: D0, end: D0 + 24 * H };
const draft = (over: Partial<FindingDraft> = {}): FindingDraft => ({
    id: 'ais-dark-gap:1:x',
    check: 'ais-dark-gap',
    severity: 'warning',
    mmsi: 1,
    firstSeen: D0 + H,
    lastSeen: D0 + 9 * H,
    summary: 's',
    evidence: { rule: 'r', source: 's', gapHours: 8 },
    ...over,
});

describe('reconcileFindings', () => {
    it('opens new findings, and a second run with the same drafts writes nothing (double fire)', () => {
        const first = reconcileFindings([], [draft()], scope, 100, 'v1');
        expect(first.opened).toHaveLength(1);
        expect(first.upserts[0]).toMatchObject({
            status: 'open',
            detectedAt: 100,
            updatedAt: 100,
            ruleVersion: 'v1',
        });
        const second = reconcileFindings(first.upserts, [draft()], scope, 200, 'v1');
        expect(second).toMatchObject({ upserts: [], opened: [], closed: [], unchanged: 1 });
    });

    it('updates a changed finding in place, keeping when it was detected', () => {
        const [stored] = reconcileFindings([], [draft()], scope, 100, 'v1').upserts;
        const r = reconcileFindings(
            [stored!],
            [draft({ lastSeen: D0 + 10 * H, evidence: { rule: 'r', source: 's', gapHours: 9 } })],
            scope,
            200,
            'v1',
        );
        expect(r.opened).toEqual([]);
        expect(r.upserts[0]).toMatchObject({
            id: stored!.id,
            detectedAt: 100,
            updatedAt: 200,
            lastSeen: D0 + 10 * H,
        });
    });

    it('closes a finding that no longer holds after late data, and reopens it under the same id if it holds again', () => {
        const [stored] = reconcileFindings([], [draft()], scope, 100, 'v1').upserts;
        const r = reconcileFindings([stored!], [], scope, 200, 'v1');
        expect(r.closed).toHaveLength(1);
        expect(r.upserts[0]).toMatchObject({ status: 'closed', closedAt: 200 });
        expect(r.upserts[0]!.closedReason).toContain('evaluated again');
        const again = reconcileFindings(r.upserts, [draft()], scope, 300, 'v1');
        expect(again.opened[0]).toMatchObject({ id: stored!.id, status: 'open', detectedAt: 100 });
        expect(again.opened[0]!.closedAt).toBeUndefined();
    });

    it('leaves findings of other checks and other windows alone', () => {
        const [stored] = reconcileFindings(
            [],
            [draft({ lastSeen: D0 - H })],
            { ...scope, start: D0 - 24 * H },
            100,
            'v1',
        ).upserts;
        expect(reconcileFindings([stored!], [], scope, 200, 'v1').upserts).toEqual([]);
        expect(
            reconcileFindings(
                [stored!],
                [],
                { ...scope, start: D0 - 24 * H, checks: ['speed-zone'] },
                200,
                'v1',
            ).upserts,
        ).toEqual([]);
    });

    it('an older window never turns a gap a later window saw end back into an ongoing one', () => {
        const later = draft({ lastSeen: D0 + 30 * H, evidence: { rule: 'r', source: 's', gapHours: 29 } });
        const [stored] = reconcileFindings([], [later], { ...scope, end: D0 + 48 * H }, 100, 'v1').upserts;
        const r = reconcileFindings(
            [stored!],
            [draft({ lastSeen: D0 + 24 * H, ongoing: true })],
            scope,
            200,
            'v1',
        );
        expect(r.upserts).toEqual([]);
    });
});
