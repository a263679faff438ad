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

describe('ConsoleAlertPublisher summarises a run', () => {
    const finding = (i: number, over: Partial<Alert> = {}): Alert =>
        alert({
            id: `f${i}`,
            kind: 'compliance-finding',
            mmsi: 211000100 + i,
            vessels: [211000100 + i],
            time: 1_700_000_000_000 + i * 1000,
            details: { check: 'cii-projected-rating', i },
            ...over,
        });

    it('prints the newest few of each kind in full and one line counting the rest, per publish', async () => {
        const lines: string[] = [];
        const publisher = new ConsoleAlertPublisher((l) => lines.push(l));
        // 97 findings raised in shuffled time order, plus two of another check and one collision alert.
        const many = Array.from({ length: 97 }, (_, i) => finding((i * 37) % 97));
        await publisher.publish([
            ...many,
            finding(200, { details: { check: 'ais-dark-gap' } }),
            finding(201, { details: { check: 'ais-dark-gap' } }),
            alert(),
        ]);
        const projected = lines.filter((l) => l.includes('cii-projected-rating'));
        expect(projected).toHaveLength(4);
        // The newest three (times 94, 95, 96) in the order they were raised, then the count.
        const shown = projected
            .slice(0, 3)
            .map((l) => (JSON.parse(l.slice(l.indexOf('{'))) as { i: number }).i);
        expect(shown.sort((a, b) => a - b)).toEqual([94, 95, 96]);
        expect(projected[3]).toBe(
            'ALERT CRITICAL compliance-finding cii-projected-rating: 97 in this run, the newest 3 above ' +
                '(all: GET /api/alerts?kind=compliance-finding&severity=critical)\n',
        );
        expect(lines.filter((l) => l.includes('ais-dark-gap'))).toHaveLength(2);
        expect(lines.filter((l) => l.includes('collision-risk'))).toHaveLength(1);
        expect(lines).toHaveLength(7);
        expect(publisher.summarised).toBe(94);
        expect(publisher.notPrinted).toBe(0);

        // A later run with one new finding prints it in full.
        await publisher.publish([finding(300)]);
        expect(lines).toHaveLength(8);
        expect(lines[7]).toContain('"i":300');
    });

    it('keeps severities apart and honours detailsPerKind', async () => {
        const lines: string[] = [];
        const publisher = new ConsoleAlertPublisher((l) => lines.push(l), { detailsPerKind: 1 });
        await publisher.publish([
            finding(1),
            finding(2),
            finding(3, { severity: 'warning' }),
            finding(4, { severity: 'warning' }),
        ]);
        expect(lines.map((l) => l.replace(/ \{.*\}/, ''))).toEqual([
            'ALERT CRITICAL compliance-finding mmsi=211000102\n',
            'ALERT CRITICAL compliance-finding cii-projected-rating: 2 in this run, the newest 1 above (all: GET /api/alerts?kind=compliance-finding&severity=critical)\n',
            'ALERT WARNING compliance-finding mmsi=211000104\n',
            'ALERT WARNING compliance-finding cii-projected-rating: 2 in this run, the newest 1 above (all: GET /api/alerts?kind=compliance-finding&severity=warning)\n',
        ]);
    });
});
