/**
 * The fault harness's outage schedule (bench/faults.ts): when Azurite and the Cosmos-protocol server are stopped
 * during a replay, and for how long.
 */

export interface Outage {
    service: 'azurite' | 'cosmos';
    /** From the stack up, ms. */
    at: number;
    /** How long the service is down, ms. */
    ms: number;
}

/**
 * The sending phase of a replay: from the stack up until its last event left the file. The replay paces events at
 * `--rate` from the moment the stack is up (event k at k / rate s), so it is the reference run's AIS event count
 * over the rate; what follows it (the last batches, the drain, the snapshot, the services stopping) is not.
 */
export function sendingMs(referenceOutput: string, rate: number): number | undefined {
    const m = /AIS: batches [\d,]+, events ([\d,]+)/.exec(referenceOutput);
    return m === null ? undefined : (Number(m[1]!.replace(/,/g, '')) / rate) * 1000;
}

/**
 * A seeded outage schedule within the sending phase (`sendMs` from the stack up), so every outage falls while events
 * flow: services alternate (the first drawn), each down 0.5-2.5 s, never overlapping, at least 0.5 s apart, each one
 * over before the last event is sent. The gaps before and between the outages are drawn uniformly over the room
 * the phase leaves; undefined when the phase is too short for them (fewer outages or a lower `--rate` then).
 */
export function outageSchedule(n: number, sendMs: number, draw: () => number): Outage[] | undefined {
    const first = draw() < 0.5 ? 'azurite' : 'cosmos';
    const lengths = Array.from({ length: n }, () => Math.round(500 + draw() * 2_000));
    const room = sendMs - lengths.reduce((a, b) => a + b, 0) - 500 * Math.max(0, n - 1);
    if (room < 0) return undefined;
    const offsets = Array.from({ length: n }, () => Math.floor(draw() * room)).sort((a, b) => a - b);
    const out: Outage[] = [];
    let busy = 0; // time taken by the outages placed so far and the 0.5 s after each
    for (let i = 0; i < n; i++) {
        out.push({
            service: i % 2 === 0 ? first : first === 'azurite' ? 'cosmos' : 'azurite',
            at: offsets[i]! + busy,
            ms: lengths[i]!,
        });
        busy += lengths[i]! + 500;
    }
    return out;
}
