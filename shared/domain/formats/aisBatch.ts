/**
 * A batch of raw AIS event bodies (NMEA lines, JSON events or MarineCadastre CSV rows, sniffed per body) into
 * items. An item is one AIS message (a multi-sentence message counts once; an undecodable line counts once), one
 * JSON event or one CSV row: it carries its records, or the reason it is rejected.
 */
import { AisDecoder } from '../ais/index.js';
import type { DecodeEvent } from '../ais/types.js';
import { nmeaContentKey } from '../enrichment/dedupe.js';
import type { SourceFormat, VesselRecord } from '../records.js';
import { parseCsvRows } from './csv.js';
import { EMPTY_BODY, emptyBodyDetail, isEmptyBody, isNullBody } from './emptyBody.js';
import { fromAisMessage } from './fromAisMessage.js';
import { parseJsonEvents } from './json.js';
import { sniffFormat } from './sniff.js';

/** One event of the batch: its body and when it was enqueued (the decoder's fallback time). */
export interface AisBatchEvent {
    body: string;
    meta: { enqueuedTime: number };
}

export interface AisItem {
    /** Index of the event the item came from (its lineage). */
    eventIndex: number;
    format: SourceFormat;
    raw: string;
    /** Content key for de-duplication (NMEA: the payloads), else derived from the records. */
    contentKey?: string;
    records?: VesselRecord[];
    error?: { reason: string; detail: string };
}

function splitLines(body: string): string[] {
    const lines = body.split('\n');
    for (let i = 0; i < lines.length; i++) {
        const l = lines[i] as string;
        if (l.endsWith('\r')) lines[i] = l.slice(0, -1);
    }
    return lines;
}

function decodeEventToItem(ev: DecodeEvent, eventIndex: number): AisItem {
    const raw = ev.raw.length === 1 ? (ev.raw[0] as string) : ev.raw.join('\n');
    if (ev.kind === 'message') {
        return {
            eventIndex,
            format: 'nmea',
            raw,
            contentKey: nmeaContentKey(ev.raw),
            records: fromAisMessage(ev.message, {
                format: 'nmea',
                tagBlock: ev.tagBlock,
                receiverTime: ev.receiverTime,
            }),
        };
    }
    if (ev.kind === 'unsupported') {
        return { eventIndex, format: 'nmea', raw, error: { reason: 'UNSUPPORTED_TYPE', detail: ev.detail } };
    }
    return { eventIndex, format: 'nmea', raw, error: { reason: ev.reason, detail: ev.detail } };
}

/**
 * Splits every event body into items. NMEA fragments are reassembled across the events of the batch. NMEA lines
 * skipped by the decoder are added by reason to `skipped` when given.
 */
export function parseAisBatch(events: readonly AisBatchEvent[], skipped?: Record<string, number>): AisItem[] {
    const items: AisItem[] = [];
    const decoder = new AisDecoder();
    for (let eventIndex = 0; eventIndex < events.length; eventIndex++) {
        const event = events[eventIndex] as AisBatchEvent;
        if (isEmptyBody(event.body)) {
            // An empty body, or the JSON literal null, is one item: quarantined, never silently dropped.
            const format = isNullBody(event.body) ? 'json' : 'nmea';
            items.push({
                eventIndex,
                format,
                raw: event.body,
                error: { reason: EMPTY_BODY, detail: emptyBodyDetail(event.body) },
            });
            continue;
        }
        const format = sniffFormat(event.body);
        if (format === 'nmea') {
            for (const line of splitLines(event.body)) {
                for (const ev of decoder.push(line, event.meta.enqueuedTime)) {
                    items.push(decodeEventToItem(ev, eventIndex));
                }
            }
        } else if (format === 'json') {
            for (const outcome of parseJsonEvents(event.body)) {
                items.push(
                    outcome.ok
                        ? { eventIndex, format, raw: outcome.raw, records: [outcome.record] }
                        : {
                              eventIndex,
                              format,
                              raw: outcome.raw,
                              error: { reason: outcome.reason, detail: outcome.detail },
                          },
                );
            }
        } else {
            for (const outcome of parseCsvRows(event.body)) {
                items.push(
                    outcome.ok
                        ? { eventIndex, format, raw: outcome.raw, records: outcome.records }
                        : {
                              eventIndex,
                              format,
                              raw: outcome.raw,
                              error: { reason: outcome.reason, detail: outcome.detail },
                          },
                );
            }
        }
    }
    // Fragments still waiting at the end of the batch cannot complete later (the next batch may be handled by
    // another instance): they are quarantined, attributed to the event holding their first sentence.
    for (const ev of decoder.flush()) {
        const first = ev.raw[0] ?? '';
        const eventIndex = Math.max(
            0,
            events.findIndex((e) => e.body.includes(first)),
        );
        items.push(decodeEventToItem(ev, eventIndex));
    }
    if (skipped !== undefined) {
        for (const [reason, n] of Object.entries(decoder.stats.skippedByReason)) {
            if (n > 0) skipped[reason] = (skipped[reason] ?? 0) + n;
        }
    }
    return items;
}
