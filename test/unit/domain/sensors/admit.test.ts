/** Admission of one parsed sensor reading (admitReading): parse refusals, copies within the batch, validation. */
import { describe, expect, it } from '@jest/globals';

import { admitReading } from '../../../../shared/domain/sensors/admit.js';
import { parseSensorLine, type SensorReading } from '../../../../shared/domain/sensors/index.js';
import { NOW, sensorEvent } from '../../../helpers/factories.js';

const CTX = { now: NOW, maxAgeMs: 86_400_000 };

function outcome(fields: object) {
    const parsed = parseSensorLine(JSON.stringify(fields));
    if (parsed === undefined) throw new Error('a blank line');
    return parsed;
}

describe('admitReading', () => {
    it('accepts a valid reading: appends make(reading, flags) and returns undefined', () => {
        const accepted: { reading: SensorReading; flags: readonly string[] }[] = [];
        const refusal = admitReading(outcome(sensorEvent()), CTX, new Set(), accepted, (reading, flags) => ({
            reading,
            flags,
        }));
        expect(refusal).toBeUndefined();
        expect(accepted).toHaveLength(1);
        expect(accepted[0]?.reading).toMatchObject({ sensorId: 'me-1', value: 80, eventTime: NOW - 5000 });
        expect(accepted[0]?.flags).toEqual([]);
    });

    it("refuses with the parse's reason, and appends nothing", () => {
        const accepted: unknown[] = [];
        const refusal = admitReading(
            outcome(sensorEvent({ quantity: 'warp_factor' })),
            CTX,
            new Set(),
            accepted,
            () => 1,
        );
        expect(refusal).toMatchObject({ reason: 'SENSOR_UNKNOWN_QUANTITY' });
        expect(accepted).toEqual([]);
    });

    it('a second copy of a reading in the batch is a duplicate; another value at the same time is not', () => {
        const seen = new Set<string>();
        const accepted: number[] = [];
        const first = outcome(sensorEvent());
        expect(admitReading(first, CTX, seen, accepted, () => 1)).toBeUndefined();
        expect(admitReading(outcome(sensorEvent()), CTX, seen, accepted, () => 2)).toBe('duplicate');
        expect(
            admitReading(outcome(sensorEvent({ value: 81 })), CTX, seen, accepted, () => 3),
        ).toBeUndefined();
        expect(accepted).toEqual([1, 3]);
    });

    it('refuses by validation (an event time older than the maximum age) after the duplicate check', () => {
        const seen = new Set<string>();
        const old = outcome(sensorEvent({ time: NOW - 2 * 86_400_000 }));
        expect(admitReading(old, CTX, seen, [], () => 1)).toMatchObject({ reason: 'EVENT_TIME_TOO_OLD' });
        expect(admitReading(old, CTX, seen, [], () => 1)).toBe('duplicate');
    });
});
