/**
 * Timer functions in tests: the app's timers kept from firing during a test, and a handler fired the way the host
 * fires it (a Timer and an InvocationContext), when the test decides.
 */
import { InvocationContext, type Timer } from '@azure/functions';

import { FUNCTIONS } from '../../functions/functionTable.js';

/** A schedule that does not fire during a test (daily at 00:00:30 UTC; a year-long one overflows Node's timers). */
export const NOT_DURING_TEST = '30 0 0 * * *';

/**
 * Settings that keep every timer whose schedule is a setting (`%GOLD_SCHEDULE%`, ...) from firing during a test:
 * read from the function table, so a new timer is covered too.
 */
export const TIMERS_OFF: Readonly<Record<string, string>> = Object.fromEntries(
    FUNCTIONS.flatMap((f) => {
        const setting = f.trigger === 'timer' ? /^%(\w+)%$/.exec(String(f.options.schedule))?.[1] : undefined;
        return setting === undefined ? [] : [[setting, NOT_DURING_TEST]];
    }),
);

/** The Timer the host passes to a timer handler (on schedule, not past due). */
export function testTimer(): Timer {
    return {
        isPastDue: false,
        schedule: { adjustForDST: false },
        scheduleStatus: { last: '', next: '', lastUpdated: '' },
    };
}

/** Fires a timer handler with `rt` the way the host does; the invocation is named after the function and the time. */
export function fireTimer<R, T>(
    handler: (rt: R, timer: Timer, context: InvocationContext) => Promise<T>,
    rt: R,
    name: string,
): Promise<T> {
    const invocationId = `test-${name}-${Date.now()}`;
    return handler(rt, testTimer(), new InvocationContext({ invocationId, functionName: name }));
}
