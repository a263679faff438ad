import { describe, expect, it } from '@jest/globals';

import {
    bodyText,
    fromEventHubBatch,
    parseEnqueuedTime,
} from '../../../shared/adapters/fromEventHubBatch.js';

describe('fromEventHubBatch', () => {
    it('keeps the batch metadata with every event', () => {
        // Arrange: metadata as the Node worker gives it (camel-cased, enqueued times without a zone)
        const meta = {
            partitionContext: { partitionId: '2', eventHubName: 'ais-raw' },
            sequenceNumberArray: [10, 11],
            offsetArray: ['100', '180'],
            enqueuedTimeUtcArray: ['2026-11-24T10:00:00.25', '2026-11-24T10:00:01'],
            partitionKeyArray: ['366123456', '211000000'],
            propertiesArray: [{ format: 'nmea' }, {}],
        };
        // Act
        const events = fromEventHubBatch(['!AIVDM,...', { type: 'position', mmsi: 1 }], meta, 0);
        // Assert
        expect(events).toEqual([
            {
                body: '!AIVDM,...',
                meta: {
                    partitionId: '2',
                    sequenceNumber: 10,
                    offset: '100',
                    enqueuedTime: Date.UTC(2026, 10, 24, 10, 0, 0, 250),
                    partitionKey: '366123456',
                    properties: { format: 'nmea' },
                },
            },
            {
                body: '{"type":"position","mmsi":1}',
                meta: {
                    partitionId: '2',
                    sequenceNumber: 11,
                    offset: '180',
                    enqueuedTime: Date.UTC(2026, 10, 24, 10, 0, 1),
                    partitionKey: '211000000',
                },
            },
        ]);
    });

    it('falls back to the system properties and then to now', () => {
        const events = fromEventHubBatch(
            ['x'],
            { systemPropertiesArray: [{ sequenceNumber: '7', enqueuedTimeUtc: '2026-01-01T00:00:00Z' }] },
            5,
        );
        expect(events[0]?.meta).toMatchObject({
            partitionId: '0',
            sequenceNumber: 7,
            enqueuedTime: Date.UTC(2026, 0, 1),
        });
        expect(fromEventHubBatch('single', undefined, 5)[0]?.meta).toMatchObject({
            sequenceNumber: -1,
            enqueuedTime: 5,
        });
    });

    it.each([
        ['string', 'abc', 'abc'],
        ['Buffer', Buffer.from('!AIVDM'), '!AIVDM'],
        ['Uint8Array', new TextEncoder().encode('x,y'), 'x,y'],
        ['number (a JSON-parsed body)', 42, '42'],
        ['array (a JSON-parsed body)', [1, 2], '[1,2]'],
        ['null', null, ''],
    ])('turns a %s body back into text', (_name, element, text) => {
        expect(bodyText(element)).toBe(text);
    });

    it.each([
        ['2026-11-24T10:00:00', Date.UTC(2026, 10, 24, 10)],
        ['2026-11-24T10:00:00+01:00', Date.UTC(2026, 10, 24, 9)],
        ['garbage', undefined],
        ['', undefined],
    ])('parses enqueued time %s', (value, expected) => {
        expect(parseEnqueuedTime(value)).toBe(expected);
    });
});
