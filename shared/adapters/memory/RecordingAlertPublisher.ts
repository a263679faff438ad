/**
 * AlertPublisher for use-case tests: records what was published, in order, as EventHubAlertPublisher would send
 * it (JSON round trip). `failNext` makes the next call throw (a `DependencyError` by default, as the real
 * publisher does for a failed send) without recording anything.
 */
import type { AlertPublisher } from '../../app/ports.js';
import type { Alert } from '../../domain/alerts/alert.js';
import { DependencyError } from '../../errors.js';

export class RecordingAlertPublisher implements AlertPublisher {
    /** Every alert published so far, in order (redeliveries appear again: consumers de-duplicate by id). */
    readonly published: Alert[] = [];
    /** Calls to `publish` so far, including failed ones. */
    calls = 0;
    /**
     * When set, the next `publish` call throws (then the hook clears): `true` throws a DependencyError, an Error is
     * thrown as is.
     */
    failNext: Error | boolean;

    constructor(options: { failNext?: Error | boolean } = {}) {
        this.failNext = options.failNext ?? false;
    }

    publish(alerts: readonly Alert[]): Promise<void> {
        this.calls++;
        const failure = this.failNext;
        if (failure !== false) {
            this.failNext = false;
            return Promise.reject(
                failure === true
                    ? new DependencyError('publishing alerts failed (RecordingAlertPublisher.failNext)')
                    : failure,
            );
        }
        for (const alert of alerts) this.published.push(JSON.parse(JSON.stringify(alert)) as Alert);
        return Promise.resolve();
    }

    /** Published alert ids, in order. */
    ids(): string[] {
        return this.published.map((a) => a.id);
    }
}
