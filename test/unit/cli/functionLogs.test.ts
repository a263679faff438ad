import { describe, expect, it } from '@jest/globals';

import { functionLogLine, stackOptions } from '../../../cli/commands/localStack.js';

describe('--function-logs', () => {
    it('passes a log sink to the stack only when asked', () => {
        expect(stackOptions({}).log).toBeUndefined();
        expect(stackOptions({ 'function-logs': true }).log).toBe(functionLogLine);
    });

    it('prints information and above with the function name, leaves debug and trace out', () => {
        const lines: string[] = [];
        const write = (l: string) => lines.push(l);
        functionLogLine('information', 'buildGold', 'gold day built {"day":"2026-12-03"}', write);
        functionLogLine('warning', 'compactSilver', 'late', write);
        functionLogLine('debug', 'buildGold', 'noise', write);
        functionLogLine('trace', 'buildGold', 'noise', write);
        expect(lines).toEqual([
            '[buildGold] information gold day built {"day":"2026-12-03"}\n',
            '[compactSilver] warning late\n',
        ]);
    });
});

describe('--batch-window', () => {
    it('sets the partitions batch window in ms, and is left to the stack default when not given', () => {
        expect(stackOptions({}).batchWindowMs).toBeUndefined();
        expect(stackOptions({ 'batch-window': '1' }).batchWindowMs).toBe(1000);
        expect(stackOptions({ 'batch-window': '0.25' }).batchWindowMs).toBe(250);
        expect(() => stackOptions({ 'batch-window': 'soon' })).toThrow(/--batch-window must be a number/);
    });
});
