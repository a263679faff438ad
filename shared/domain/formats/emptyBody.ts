/**
 * An event body that is empty, blank or the JSON literal `null` is one item of its batch: quarantined as
 * `EMPTY_BODY`, never silently dropped.
 */

export const EMPTY_BODY = 'EMPTY_BODY';

/** The body of an event that is empty, blank or the JSON literal `null`. */
export function isEmptyBody(body: string): boolean {
    const t = body.trim();
    return t === '' || t === 'null';
}

/** Whether an empty body is the JSON literal `null` (a JSON item) rather than nothing at all. */
export function isNullBody(body: string): boolean {
    return body.trim() === 'null';
}

/** The quarantine detail of an empty body. */
export function emptyBodyDetail(body: string): string {
    return isNullBody(body) ? 'the event body is the JSON literal null' : 'the event body is empty';
}
