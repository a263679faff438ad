import { describe, expect, it } from '@jest/globals';

import { ConsoleAlertPublisher } from '../../../shared/adapters/ConsoleAlertPublisher.js';
import { type Alert, alertId } from '../../../shared/domain/alerts/alert.js';

const alert = (over: Partial<Alert> = {}): Alert => ({
    id: alertId('collision-risk', [211000001, 211000002, 1]),
    kind: 'collision-risk',
    severity: 'critical',
    mmsi: 211000001,
    vessels: [211000001, 211000002],
    time: 1_700_000_000_000,
    details: { cpaNm: 0.2, tcpaMin: 4 },
    ruleVersion: '1',
    raisedAt: 1_700_000_001_000,
    ...over,
});

describe('ConsoleAlertPublisher', () => {
    it('prints one line per alert: severity, kind, every vessel and the details', async () => {
        const lines: string[] = [];
        await new ConsoleAlertPublisher((l) => lines.push(l)).publish([
            alert(),
            alert({ severity: 'warning' }),
        ]);
        expect(lines).toEqual([
            'ALERT CRITICAL collision-risk mmsi=211000001,211000002 {"cpaNm":0.2,"tcpaMin":4}\n',
            'ALERT WARNING collision-risk mmsi=211000001,211000002 {"cpaNm":0.2,"tcpaMin":4}\n',
        ]);
    });

    it('falls back to the alert mmsi when no vessels are listed', async () => {
        const lines: string[] = [];
        await new ConsoleAlertPublisher((l) => lines.push(l)).publish([alert({ vessels: [] })]);
        expect(lines[0]).toContain(' mmsi=211000001 ');
    });

    it('with quietOlderThanMs, counts alerts about older events instead of printing them (a backfilled history)', async () => {
        const lines: string[] = [];
        const now = 1_700_000_000_000 + 3_600_000;
        const publisher = new ConsoleAlertPublisher((l) => lines.push(l), {
            quietOlderThanMs: 3_600_000,
            now: () => now,
        });
        await publisher.publish([
            alert({ time: now - 3_600_001 }),
            alert({ time: now - 3_600_000, severity: 'warning' }),
            alert({ time: now - 86_400_000 }),
        ]);
        expect(lines).toEqual([
            'ALERT WARNING collision-risk mmsi=211000001,211000002 {"cpaNm":0.2,"tcpaMin":4}\n',
        ]);
        expect(publisher.notPrinted).toBe(2);
    });
});
