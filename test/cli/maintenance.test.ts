import { describe, expect, it } from '@jest/globals';

import { formatReport } from '../../cli/commands/maintenance.js';
import { buildVesselData, runExperiment } from '../../local/simulator/maintenanceExperiment.js';

describe('maintenance experiment', () => {
    it('trains on the first vessels, evaluates on the held-out ones, and ends with the F1 line', () => {
        const opts = { seed: 2, vessels: 4, days: 60, readingsPerHour: 2, trainVessels: 3 };
        const r = runExperiment(buildVesselData(opts), opts);
        expect(r).toMatchObject({ trainVessels: 3, testVessels: 1 });
        const [model, baseline] = r.methods;
        for (const m of [model, baseline]) {
            const c = m.confusion;
            expect(c.tp + c.fp + c.fn + c.tn).toBe(r.testRows);
            expect(c.tp + c.fn).toBe(r.testPositives);
        }
        const lines = formatReport(r, opts).trimEnd().split('\n');
        expect(lines.at(-1)).toMatch(/^F1 model [01]\.\d{3} baseline [01]\.\d{3}$/);
        expect(lines.at(-1)).toBe(`F1 model ${model.f1.toFixed(3)} baseline ${baseline.f1.toFixed(3)}`);
    });
});
