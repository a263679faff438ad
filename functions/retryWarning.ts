import type { InvocationContext } from '@azure/functions';

/**
 * Logs a warning when the host is retrying this invocation (EVENT_HUB_RETRY): `<function> retry <n> of <max>`.
 * One helper for every Event Hub trigger, so the warning reads the same in all of them.
 */
export function warnIfRetry(functionName: string, context: InvocationContext): void {
    const retry = context.retryContext;
    if (retry && retry.retryCount > 0)
        context.warn(`${functionName} retry ${retry.retryCount} of ${retry.maxRetryCount}`);
}
