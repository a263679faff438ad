/**
 * The stop summary of `npm start` / `maritime replay` printed `AIS: batches 1,249, events 21,097` above
 * `received 21,108`: events are Event Hub events, received counts items, and an event can hold more than one. The
 * simulator's damaged multi-sentence messages are the cause: a message whose first fragment fails its checksum is one
 * event and two items (NMEA_CHECKSUM, and the second fragment as FRAGMENT_INCOMPLETE). The summary now says so.
 */
import { describe, expect, it } from '@jest/globals';

import { itemsNote, reconciliation } from '../../../local/run.js';
import { AisEncoder } from '../../../local/simulator/aisEncoder.js';
import type { Totals } from '../../../local/stack.js';
import { emptyCounts } from '../../../shared/app/batchRecords.js';
import { ingestAisBatch } from '../../../shared/app/ingestAisBatch.js';
import type { ReceivedEvent } from '../../../shared/app/ports.js';
import { NOW } from '../../helpers/factories.js';
import { aisIngestFakes } from '../../helpers/ingestFakes.js';

function event(body: string, sequenceNumber: number): ReceivedEvent {
    return { body, meta: { partitionId: '0', sequenceNumber, enqueuedTime: NOW - 1000 } };
}

describe('the stop summary: Event Hub events and items', () => {
    it('a damaged two-sentence message is one event and two items; the summary says why the counts differ', async () => {
        const enc = new AisEncoder();
        const [first, second] = enc.encode({
            type: 5,
            mmsi: 244000001,
            shipname: 'TWO PARTS',
            callsign: 'TWO1',
            imo: 9134270,
        }) as [string, string];
        const damaged = first.replace(/\*[0-9A-F]{2}$/, '*00');
        const position = enc.encode({ type: 1, mmsi: 244000002, lat: 52, lon: 4, speed: 5 })[0]!;
        const s = await ingestAisBatch(
            [event(`${damaged}\n${second}`, 1), event(position, 2), event('$GPRMC,1,2*00', 3)],
            aisIngestFakes(),
        );
        expect(s).toMatchObject({ events: 3, received: 3, accepted: 1, quarantined: 2 });
        expect(s.quarantinedByReason).toEqual({ NMEA_CHECKSUM: 1, FRAGMENT_INCOMPLETE: 1 });

        const totals: Totals = {
            ...emptyCounts(),
            received: s.received,
            accepted: s.accepted,
            quarantined: s.quarantined,
            quarantinedByReason: s.quarantinedByReason,
            sensors: emptyCounts(),
            maintenance: emptyCounts(),
            alerts: 0,
            batches: 1,
            events: s.events,
            lostEvents: 0,
            deadLetterDir: '/tmp/deadletter',
        };
        // here one event held two items and one (a $GPRMC) none: the counts agree, nothing to explain
        expect(reconciliation(totals).split('\n')[0]).toBe('AIS: batches 1, events 3');
        expect(itemsNote({ events: 21_097, received: 21_108 })).toBe(
            ' -> items 21,108 (11 more than events: an event holds one item per message, row or rejected fragment, e.g. a damaged fragment and the rest of its message as FRAGMENT_INCOMPLETE)',
        );
        expect(reconciliation({ ...totals, events: 2 }).split('\n')[0]).toContain(
            'AIS: batches 1, events 2 -> items 3 (1 more than events',
        );
        expect(itemsNote({ events: 5, received: 4 })).toContain('1 fewer than events');
    });
});
