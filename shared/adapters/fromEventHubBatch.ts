/**
 * Converts what the Functions host binds for an Event Hub trigger with `cardinality: 'many'` into
 * `ReceivedEvent`s. The ingest functions bind bytes (`dataType: 'binary'`): each body arrives as a Buffer and is
 * decoded as UTF-8, exactly as sent (a body that is not valid UTF-8 also keeps its bytes, base64). With
 * `dataType: 'string'` the Node worker tries `JSON.parse` on each body, so JSON bodies would come as objects or
 * numbers: those are turned back into text as well as can be (a re-serialisation, not the original bytes).
 * Metadata arrays are camel-cased by the worker (`sequenceNumberArray`, ...).
 */
import { isUtf8 } from 'node:buffer';

import type { EventMetadata, ReceivedEvent } from '../app/ports.js';

type Meta = Record<string, unknown> | undefined;

function arrayAt(meta: Meta, key: string, i: number): unknown {
    const arr = meta?.[key];
    return Array.isArray(arr) ? (arr[i] as unknown) : undefined;
}

function scalarText(value: unknown): string | undefined {
    if (typeof value === 'string') return value;
    if (typeof value === 'number' || typeof value === 'boolean' || typeof value === 'bigint')
        return String(value);
    return undefined;
}

/** Body text of one bound element. */
export function bodyText(element: unknown): string {
    if (typeof element === 'string') return element;
    if (Buffer.isBuffer(element)) return element.toString('utf8');
    if (element instanceof Uint8Array) return Buffer.from(element).toString('utf8');
    if (element === undefined || element === null) return '';
    if (typeof element === 'object') return JSON.stringify(element);
    return scalarText(element) ?? '';
}

/** Enqueued times come as ISO strings without a zone (UTC), Dates, or epoch numbers. */
export function parseEnqueuedTime(value: unknown): number | undefined {
    if (value instanceof Date) return value.getTime();
    if (typeof value === 'number' && Number.isFinite(value)) return value;
    if (typeof value === 'string' && value.length > 0) {
        const hasZone = /(?:Z|[+-]\d\d:?\d\d)$/i.test(value);
        const t = Date.parse(hasZone ? value : `${value}Z`);
        return Number.isNaN(t) ? undefined : t;
    }
    return undefined;
}

function toNumber(value: unknown): number | undefined {
    if (typeof value === 'number' && Number.isFinite(value)) return value;
    if (typeof value === 'string' && value.trim() !== '' && Number.isFinite(Number(value)))
        return Number(value);
    return undefined;
}

/**
 * @param messages the handler's first argument (array for cardinality many)
 * @param triggerMetadata `context.triggerMetadata`
 * @param now fallback enqueued time when the host gives none
 */
export function fromEventHubBatch(messages: unknown, triggerMetadata: Meta, now: number): ReceivedEvent[] {
    const list: unknown[] = Array.isArray(messages) ? messages : [messages];
    const partitionContext = triggerMetadata?.partitionContext as Record<string, unknown> | undefined;
    const partitionId = scalarText(partitionContext?.partitionId ?? triggerMetadata?.partitionId) ?? '0';
    return list.map((element, i): ReceivedEvent => {
        const system = arrayAt(triggerMetadata, 'systemPropertiesArray', i) as
            Record<string, unknown> | undefined;
        const sequenceNumber =
            toNumber(arrayAt(triggerMetadata, 'sequenceNumberArray', i)) ??
            toNumber(system?.sequenceNumber) ??
            -1;
        const enqueuedTime =
            parseEnqueuedTime(arrayAt(triggerMetadata, 'enqueuedTimeUtcArray', i)) ??
            parseEnqueuedTime(system?.enqueuedTimeUtc) ??
            now;
        const meta: EventMetadata = { partitionId, sequenceNumber, enqueuedTime };
        const offset = arrayAt(triggerMetadata, 'offsetArray', i) ?? system?.offset;
        const offsetText = scalarText(offset);
        if (offsetText !== undefined) meta.offset = offsetText;
        const partitionKey = arrayAt(triggerMetadata, 'partitionKeyArray', i) ?? system?.partitionKey;
        if (typeof partitionKey === 'string' && partitionKey !== '') meta.partitionKey = partitionKey;
        const properties = arrayAt(triggerMetadata, 'propertiesArray', i);
        if (properties && typeof properties === 'object' && Object.keys(properties).length > 0) {
            meta.properties = properties as Record<string, unknown>;
        }
        const bytes = Buffer.isBuffer(element)
            ? element
            : element instanceof Uint8Array
              ? Buffer.from(element)
              : undefined;
        if (bytes !== undefined && !isUtf8(bytes))
            return { body: bytes.toString('utf8'), bodyBase64: bytes.toString('base64'), meta };
        return { body: bodyText(element), meta };
    });
}
