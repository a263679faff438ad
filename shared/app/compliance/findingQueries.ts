/**
 * Query use cases behind the findings endpoints: parameters parsed and checked here (400 naming the parameter),
 * bounded date range, paged by the store's continuation token.
 */
import { COMPLIANCE_CHECKS, type Finding, FINDING_SEVERITIES } from '../../domain/compliance/finding.js';
import { ValidationError } from '../../errors.js';
import {
    oneOf,
    type Params,
    parseContinuation,
    parseLimit,
    parseMmsi,
    parseOptionalMmsi,
    parseTime,
} from '../params.js';
import type { FindingStore } from '../ports.js';

/** Longest period one request may ask for. */
const MAX_WINDOW_MS = 366 * 86_400_000;

export async function listFindings(
    params: Params,
    store: FindingStore,
    now: number,
    mmsiParam?: string,
): Promise<{ items: Finding[]; continuation?: string }> {
    const mmsi = mmsiParam !== undefined ? parseMmsi(mmsiParam) : parseOptionalMmsi(params('mmsi'));
    const to = parseTime('to', params('to')) ?? now;
    const from = parseTime('from', params('from')) ?? to - 30 * 86_400_000;
    if (from > to) throw new ValidationError(`'from' must not be after 'to'.`);
    if (to - from > MAX_WINDOW_MS) throw new ValidationError(`'from' to 'to' may span at most 366 days.`);
    const check = oneOf('check', params('check'), COMPLIANCE_CHECKS);
    const severity = oneOf('severity', params('severity'), FINDING_SEVERITIES);
    const status = oneOf('status', params('status'), ['open', 'closed'] as const);
    const continuation = parseContinuation(params('continuation'));
    return store.query({
        from,
        to,
        ...(check !== undefined && { check }),
        ...(severity !== undefined && { severity }),
        ...(status !== undefined && { status }),
        ...(mmsi !== undefined && { mmsi }),
        limit: parseLimit(params('limit')),
        ...(continuation !== undefined && { continuation }),
    });
}
