import { InvocationContext } from '@azure/functions';
import { describe, expect, it } from '@jest/globals';

import { warnIfRetry } from '../../../functions/retryWarning.js';

function context(retryContext?: { retryCount: number; maxRetryCount: number }) {
    const warnings: string[] = [];
    const ctx = new InvocationContext({
        functionName: 'ingestAis',
        ...(retryContext ? { retryContext } : {}),
        logHandler: (level, ...args) => {
            if (level === 'warning') warnings.push(args.join(' '));
        },
    });
    return { ctx, warnings };
}

describe('warnIfRetry', () => {
    it('warns with the attempt on a retry', () => {
        const { ctx, warnings } = context({ retryCount: 2, maxRetryCount: 5 });
        warnIfRetry('ingestAis', ctx);
        expect(warnings).toEqual(['ingestAis retry 2 of 5']);
    });

    it('says nothing on the first attempt or without a retry policy', () => {
        for (const c of [context({ retryCount: 0, maxRetryCount: 5 }), context()]) {
            warnIfRetry('ingestAis', c.ctx);
            expect(c.warnings).toEqual([]);
        }
    });
});
