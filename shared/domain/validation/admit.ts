/**
 * Admission of one AIS item (domain/formats/aisBatch.ts): its records stamped with their event time, de-duplicated
 * and validated, all records of the item or none.
 */
import type { BatchDeduper } from '../enrichment/dedupe.js';
import type { AisItem } from '../formats/aisBatch.js';
import type { VesselRecord } from '../records.js';
import type { FlagCode } from './codes.js';
import { validateRecord, type ValidationContext } from './rules.js';

/** Why an item is not accepted: a reason code (quarantine) or `duplicate`. */
export type Refusal = { reason: string; detail: string } | 'duplicate';

/**
 * Settles one item. Event time: the receiver's (NMEA) or the record's own (CSV/JSON), else `enqueuedTime`; the
 * record says which (README "Event time"). The same message heard by several receivers counts once. Appends
 * `make(record, flags)` for each accepted record to `accepted` (cut back on a failure: no array per item) and
 * returns undefined, or returns why the item is refused.
 */
export function admitAisItem<A>(
    item: AisItem,
    enqueuedTime: number,
    ctx: ValidationContext,
    deduper: BatchDeduper,
    accepted: A[],
    make: (record: VesselRecord & { eventTime: number }, flags: FlagCode[]) => A,
): Refusal | undefined {
    if (item.error || !item.records || item.records.length === 0) {
        return {
            reason: item.error?.reason ?? 'NO_RECORD',
            detail: item.error?.detail ?? 'the item produced no record',
        };
    }
    for (const record of item.records) {
        if (record.eventTime === undefined) {
            record.eventTime = enqueuedTime;
            record.eventTimeSource = 'arrival';
        } else {
            record.eventTimeSource ??= 'record';
        }
    }
    if (deduper.isDuplicate(item.records[0] as VesselRecord, item.contentKey)) return 'duplicate';
    const mark = accepted.length;
    for (const record of item.records) {
        const v = validateRecord(record, ctx);
        if (!v.ok) {
            accepted.length = mark;
            return { reason: v.reason, detail: v.detail };
        }
        accepted.push(make(v.record as VesselRecord & { eventTime: number }, v.flags));
    }
    return undefined;
}
