/** The ingest skeleton's ledger (settle, withBodies) and conflictedWrites, which every ingest story uses. */
import { describe, expect, it } from '@jest/globals';

import { BatchLedger, conflictedWrites, newSummary } from '../../../shared/app/ingestBatch.js';
import { eventBatch, eventMeta, NOW } from '../../helpers/factories.js';

function ledgerOf(events = eventBatch([])) {
    const summary = newSummary(events, {});
    return { summary, ledger: new BatchLedger(summary, 'test', NOW) };
}

describe('BatchLedger', () => {
    it('settles each admission once: accepted, duplicate or quarantined with its reason, and the counts reconcile', () => {
        const { summary, ledger } = ledgerOf();
        const item = { raw: 'x', format: 'json' } as const;
        ledger.settle(item, eventMeta(), undefined);
        ledger.settle(item, eventMeta(), 'duplicate');
        ledger.settle(item, eventMeta({ sequenceNumber: 7 }), { reason: 'SENSOR_SCHEMA', detail: 'why' });
        expect(summary).toMatchObject({ received: 3, accepted: 1, duplicates: 1, quarantined: 1 });
        expect(summary.quarantinedByReason).toEqual({ SENSOR_SCHEMA: 1 });
        expect(ledger.quarantine).toEqual([
            expect.objectContaining({ reason: 'SENSOR_SCHEMA', detail: 'why', raw: 'x', source: 'test' }),
        ]);
        expect(ledger.quarantine[0]?.eventHub.sequenceNumber).toBe(7);
    });

    it('withBodies yields the events with a body and quarantines each empty one (empty, blank, null) as EMPTY_BODY', () => {
        const events = eventBatch(['{"a":1}', '', '  ', 'null', '{"b":2}']);
        const { summary, ledger } = ledgerOf(events);
        expect([...ledger.withBodies(events, 'json')].map((e) => e.body)).toEqual(['{"a":1}', '{"b":2}']);
        expect(summary).toMatchObject({
            received: 3,
            quarantined: 3,
            quarantinedByReason: { EMPTY_BODY: 3 },
        });
    });
});

describe('conflictedWrites', () => {
    it('returns the writes whose result, matched by key, is a conflict', () => {
        const pending = [{ id: 'a' }, { id: 'b' }, { id: 'c' }];
        const results = [
            { key: 'c', status: 'conflict' },
            { key: 'a', status: 'ok' },
            { key: 'b', status: 'conflict' },
        ];
        expect(
            conflictedWrites(
                pending,
                results,
                (w) => w.id,
                (r) => r.key,
            ),
        ).toEqual([{ id: 'b' }, { id: 'c' }]);
        expect(
            conflictedWrites(
                pending,
                [],
                (w) => w.id,
                (r: { key: string; status: string }) => r.key,
            ),
        ).toEqual([]);
    });
});
