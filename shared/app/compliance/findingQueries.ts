/**
 * Query use cases behind the findings endpoints: parameters parsed and checked here (400 naming the parameter),
 * bounded date range, paged by the store's continuation token.
 */
import { COMPLIANCE_CHECKS, type Finding,FINDING_SEVERITIES } from '../../domain/compliance/finding.js';
import { ValidationError } from '../../errors.js';
import type { FindingStore } from '../ports.js';
import { type Params, parseLimit, parseMmsi, parseTime } from '../queries.js';

/** Longest period one request may ask for. */
const MAX_WINDOW_MS = 366 * 86_400_000;

export async function listFindings(
    params: Params,
    store: FindingStore,
    now: number,
    mmsiParam?: string,
): Promise<{ items: Finding[]; continuation?: string }> {
    const mmsi = mmsiParam !== undefined ? parseMmsi(mmsiParam) : params('mmsi') ? parseMmsi(params('mmsi')) : undefined;
    const to = parseTime('to', params('to')) ?? now;
    const from = parseTime('from', params('from')) ?? to - 30 * 86_400_000;
    if (from > to) throw new ValidationError(`'from' must not be after 'to'.`);
    if (to - from > MAX_WINDOW_MS) throw new ValidationError(`'from' to 'to' may span at most 366 days.`);
    const check = params('check') || undefined;
    if (check !== undefined && !(COMPLIANCE_CHECKS as readonly string[]).includes(check))
        throw new ValidationError(`'check' must be one of ${COMPLIANCE_CHECKS.join(', ')}; got '${check}'.`);
    const severity = params('severity') || undefined;
    if (severity !== undefined && !(FINDING_SEVERITIES as readonly string[]).includes(severity))
        throw new ValidationError(`'severity' must be one of ${FINDING_SEVERITIES.join(', ')}; got '${severity}'.`);
    const status = params('status') || undefined;
    if (status !== undefined && status !== 'open' && status !== 'closed')
        throw new ValidationError(`'status' must be 'open' or 'closed'; got '${status}'.`);
    const continuation = params('continuation') || undefined;
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
