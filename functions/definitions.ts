/**
 * The declaration table: every function with its trigger and options. It feeds both the Azure registration
 * (`functions/index.ts`: `app.eventHub`, `app.http`, `app.timer`) and the local trigger host behind `npm start`
 * (`local/host.ts`), so the two never drift.
 */
import type { EventHubFunctionOptions, HttpFunctionOptions, RetryOptions, TimerFunctionOptions } from '@azure/functions';

export type FunctionDefinition =
    | { name: string; trigger: 'eventHub'; options: EventHubFunctionOptions & { dataType?: 'string' | 'binary' } }
    | { name: string; trigger: 'http'; options: HttpFunctionOptions & { route: string } }
    | { name: string; trigger: 'timer'; options: TimerFunctionOptions };

/**
 * Bounded exponential retry for Event Hub triggers. The trigger checkpoints whether or not the function
 * succeeds, so without a policy a transient failure (storage or Cosmos unavailable) would skip the batch, and
 * with an unbounded one a poison batch would stall its partition for ever. Data errors never throw (they are
 * quarantined), so only infrastructure failures reach this policy. 5 retries: 2 s, 4 s, 8 s, 16 s, 32 s.
 */
export const EVENT_HUB_RETRY: RetryOptions = {
    strategy: 'exponentialBackoff',
    maxRetryCount: 5,
    minimumInterval: 2_000,
    maximumInterval: 60_000,
};
