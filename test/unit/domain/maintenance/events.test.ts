import { describe, expect, it } from '@jest/globals';

import {
    formatMaintenanceEvent,
    maintenanceEventId,
    parseMaintenanceBody,
    parseMaintenanceLine,
} from '../../../../shared/domain/maintenance/events.js';

const NOW = Date.UTC(2026, 11, 1);

describe('parseMaintenanceLine', () => {
    it('reads a JSON line', () => {
        const o = parseMaintenanceLine(
            '{"mmsi":366764000,"equipmentId":"ME1-TC","time":"2026-11-24T10:00:00Z","kind":"failure","note":"surge"}',
            NOW,
        );
        expect(o).toMatchObject({
            ok: true,
            event: {
                mmsi: 366764000,
                equipmentId: 'ME1-TC',
                time: Date.UTC(2026, 10, 24, 10),
                kind: 'failure',
                note: 'surge',
            },
        });
    });

    it('reads CSV rows with and without note, quoted fields, epoch ms, offsets', () => {
        const body = [
            'mmsi,equipment_id,time,kind,note',
            '366764000,FO-FILTER,2026-11-24T10:00:00Z,service',
            '366764000,ME1-BRG,2026-11-24T12:00:00+02:00,repair,"bearing shells, both ""replaced"""',
            `366764000,ME1-BRG,${Date.UTC(2026, 10, 25)},failure,`,
            '',
            '# a comment',
        ].join('\r\n');
        const out = parseMaintenanceBody(body, NOW);
        expect(out.map((o) => o.ok)).toEqual([true, true, true]);
        expect(out[1]).toMatchObject({
            event: { time: Date.UTC(2026, 10, 24, 10), note: 'bearing shells, both "replaced"' },
        });
        expect(out[2]).toMatchObject({ event: { time: Date.UTC(2026, 10, 25), kind: 'failure' } });
        expect(out[2]!.ok && 'note' in out[2]!.event).toBe(false);
    });

    it.each([
        ['{"mmsi":366764000,', 'MAINT_MALFORMED'],
        ['[1,2]', 'MAINT_MALFORMED'],
        ['a,b', 'MAINT_MALFORMED'],
        ['366764000,ME1-TC,"2026-11-24T10:00:00Z,failure', 'MAINT_MALFORMED'],
        [
            '{"mmsi":366764000,"equipmentId":"ME1-TC","time":"2026-11-24T10:00:00Z","kind":"failure","extra":1}',
            'MAINT_SCHEMA',
        ],
        ['{"equipmentId":"ME1-TC","time":"2026-11-24T10:00:00Z","kind":"failure"}', 'MAINT_SCHEMA'],
        ['366764000,ME1 TC,2026-11-24T10:00:00Z,failure', 'MAINT_SCHEMA'],
        ['366764000,ME1-TC,2026-11-24T10:00:00Z,inspection', 'MAINT_UNKNOWN_KIND'],
        ['0,ME1-TC,2026-11-24T10:00:00Z,failure', 'INVALID_MMSI'],
        ['1234567890,ME1-TC,2026-11-24T10:00:00Z,failure', 'INVALID_MMSI'],
        ['366764000,ME1-TC,2026-02-30T10:00:00Z,failure', 'INVALID_EVENT_TIME'],
        ['366764000,ME1-TC,yesterday,failure', 'INVALID_EVENT_TIME'],
        ['366764000,ME1-TC,2026-11-24 10:00,failure', 'INVALID_EVENT_TIME'],
        ['366764000,ME1-TC,2027-01-01T00:00:00Z,failure', 'EVENT_TIME_IN_FUTURE'],
    ])('rejects %s as %s', (line, reason) => {
        expect(parseMaintenanceLine(line, NOW)).toMatchObject({ ok: false, reason, raw: line });
    });

    it('round-trips through the JSON line format, with a deterministic id', () => {
        const e = {
            mmsi: 219100000,
            equipmentId: 'ME1-TC',
            time: Date.UTC(2026, 3, 1, 6),
            kind: 'repair' as const,
            note: 'cleaned',
        };
        const o = parseMaintenanceLine(formatMaintenanceEvent(e), NOW);
        expect(o).toMatchObject({ ok: true, event: e });
        expect(maintenanceEventId(e)).toBe(`219100000|ME1-TC|${e.time}|repair`);
    });
});
