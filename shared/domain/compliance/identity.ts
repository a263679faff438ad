/**
 * Spoofing and identity checks.
 *
 * 1. Implausible jumps grouped into incidents (`spoofing-jumps`). Rule: a fix whose implied speed from the previous
 *    fix exceeds `implausibleSpeedKn` (default 50 kn, the silver IMPLAUSIBLE_JUMP rule; `isImplausibleJump` in
 *    shared/domain/validation/jumps.ts) cannot both be true; consecutive jumps less than `incidentGapMinutes` apart
 *    are one incident. Jumps are recomputed here in event-time order (silver flags them in arrival order).
 *    Source: ITU-R M.1371 position reports; the 50 kn limit is the pipeline's IMPLAUSIBLE_SPEED_KNOTS setting.
 * 2. Two simultaneous tracks under one MMSI (`identity-simultaneous-tracks`): the fixes split into two tracks, each
 *    plausible on its own, that alternate in time (at least `dualTrackMinSwitches` switches, each track at least
 *    `dualTrackMinFixes` fixes and `dualTrackMinShare` of all fixes): two transmitters share the MMSI (a duplicated or spoofed identity). The jumps between
 *    the two tracks are this finding's evidence and are not reported again as jump incidents.
 *    Source: ITU-R M.585 (an MMSI identifies one station); IMO Res. A.1106(29) on the integrity of AIS data.
 * 3. Invalid IMO number (`identity-invalid-imo`): a reported IMO number whose check digit fails (IMO Res. A.1117(30)).
 * 4. IMO reused across MMSIs (`identity-reused-imo`): one valid IMO number reported by two or more MMSIs whose
 *    reports overlap in time (a ship has one IMO number for life, A.1117(30); a re-flagged ship changes its MMSI, but
 *    then the old one falls silent, so only overlapping use is a finding).
 */
import { haversineNm } from '../geo/geo.js';
import { isValidImo } from '../validation/imo.js';
import { isImplausibleJump } from '../validation/jumps.js';
import { type FindingDraft, findingId, round, timeKey } from './finding.js';
import { type CheckWindow, orderedFixes, type TrackFix, type VesselTrack } from './inputs.js';

export interface IdentitySettings {
    /** Implied speed above which a move is a jump, knots. Default 50. */
    implausibleSpeedKn: number;
    /** Jumps closer than this in time form one incident, minutes. Default 60. */
    incidentGapMinutes: number;
    /** Each of two simultaneous tracks needs at least this many fixes. Default 3. */
    dualTrackMinFixes: number;
    /** Alternations between the two tracks needed. Default 3. */
    dualTrackMinSwitches: number;
    /** The smaller track needs at least this share of the fixes (a few bad fixes are jumps, not a second track). Default 0.2. */
    dualTrackMinShare: number;
}

export const DEFAULT_IDENTITY_SETTINGS: IdentitySettings = {
    implausibleSpeedKn: 50,
    incidentGapMinutes: 60,
    dualTrackMinFixes: 3,
    dualTrackMinSwitches: 3,
    dualTrackMinShare: 0.2,
};

const JUMP_SOURCE =
    'ITU-R M.1371 position reports; IMPLAUSIBLE_SPEED_KNOTS (the silver IMPLAUSIBLE_JUMP rule)';

interface Jump {
    from: TrackFix;
    to: TrackFix;
    distanceNm: number;
    speedKn: number;
}

function jumpBetween(a: TrackFix, b: TrackFix, s: IdentitySettings): Jump | undefined {
    const distanceNm = haversineNm(a.lat, a.lon, b.lat, b.lon);
    const elapsedS = (b.t - a.t) / 1000;
    if (!isImplausibleJump(distanceNm, elapsedS, { implausibleSpeedKnots: s.implausibleSpeedKn }))
        return undefined;
    return { from: a, to: b, distanceNm, speedKn: (distanceNm * 3600) / Math.max(1, elapsedS) };
}

/** Splits fixes into at most two plausible tracks; returns each fix's track (0 or 1). */
function splitTracks(fixes: readonly TrackFix[], s: IdentitySettings): number[] {
    const last: (TrackFix | undefined)[] = [undefined, undefined];
    return fixes.map((f) => {
        const reach = last.map((l) => l !== undefined && jumpBetween(l, f, s) === undefined);
        let k: number;
        if (reach[0] && reach[1]) k = last[0]!.t >= last[1]!.t ? 0 : 1;
        else if (reach[0]) k = 0;
        else if (reach[1]) k = 1;
        else if (last[0] === undefined) k = 0;
        else if (last[1] === undefined) k = 1;
        // Neither reaches it: it joins the track whose last fix is nearer.
        else
            k =
                haversineNm(last[0].lat, last[0].lon, f.lat, f.lon) <=
                haversineNm(last[1].lat, last[1].lon, f.lat, f.lon)
                    ? 0
                    : 1;
        last[k] = f;
        return k;
    });
}

export function spoofingFindings(
    track: VesselTrack,
    window: CheckWindow,
    settings: IdentitySettings = DEFAULT_IDENTITY_SETTINGS,
): FindingDraft[] {
    const fixes = orderedFixes(track.fixes.filter((f) => f.t < window.end));
    if (fixes.length < 2) return [];
    const out: FindingDraft[] = [];

    // Two simultaneous tracks?
    const assignment = splitTracks(fixes, settings);
    const counts = [0, 0];
    let switches = 0;
    for (let i = 0; i < assignment.length; i++) {
        counts[assignment[i]!]!++;
        if (i > 0 && assignment[i] !== assignment[i - 1]) switches++;
    }
    let dual: { from: number; to: number } | undefined;
    const minority = Math.min(counts[0]!, counts[1]!);
    if (
        minority >= settings.dualTrackMinFixes &&
        minority >= settings.dualTrackMinShare * fixes.length &&
        switches >= settings.dualTrackMinSwitches
    ) {
        const firstOf = (k: number) => fixes[assignment.indexOf(k)]!;
        const lastOf = (k: number) => fixes[assignment.lastIndexOf(k)]!;
        dual = { from: Math.max(firstOf(0).t, firstOf(1).t), to: Math.min(lastOf(0).t, lastOf(1).t) };
        if (dual.to >= window.start)
            out.push(dualTrackFinding(track, fixes, assignment, dual, switches, settings));
    }

    // Jumps in event-time order, grouped into incidents (outside a dual-track period).
    const jumps: Jump[] = [];
    for (let i = 1; i < fixes.length; i++) {
        const j = jumpBetween(fixes[i - 1]!, fixes[i]!, settings);
        if (j === undefined) continue;
        if (dual !== undefined && j.to.t >= dual.from && j.from.t <= dual.to) continue;
        jumps.push(j);
    }
    const gapMs = settings.incidentGapMinutes * 60_000;
    let incident: Jump[] = [];
    const flush = (): void => {
        const lastJump = incident[incident.length - 1];
        if (lastJump !== undefined && lastJump.to.t >= window.start)
            out.push(incidentFinding(track, incident, settings));
        incident = [];
    };
    for (const j of jumps) {
        const prev = incident[incident.length - 1];
        if (prev !== undefined && j.to.t - prev.to.t > gapMs) flush();
        incident.push(j);
    }
    flush();
    return out;
}

function incidentFinding(track: VesselTrack, jumps: Jump[], s: IdentitySettings): FindingDraft {
    const first = jumps[0]!;
    const last = jumps[jumps.length - 1]!;
    const max = jumps.reduce((m, j) => (j.speedKn > m.speedKn ? j : m), first);
    const fix = (f: TrackFix) => ({ time: new Date(f.t).toISOString(), lat: f.lat, lon: f.lon });
    return {
        id: findingId('spoofing-jumps', track.mmsi, [timeKey(first.to.t)]),
        check: 'spoofing-jumps',
        severity: 'warning',
        mmsi: track.mmsi,
        ...(track.imo !== undefined && { imo: track.imo }),
        firstSeen: first.to.t,
        lastSeen: last.to.t,
        position: { lat: first.to.lat, lon: first.to.lon },
        summary: `${jumps.length} implausible jump(s), up to ${round(max.speedKn, 0)} kn implied (${round(max.distanceNm, 1)} NM)`,
        evidence: {
            rule: `Implied speed between consecutive fixes <= ${s.implausibleSpeedKn} kn; jumps less than ${s.incidentGapMinutes} min apart form one incident`,
            source: JUMP_SOURCE,
            jumps: jumps.length,
            maxImpliedSpeedKn: round(max.speedKn, 1),
            maxJumpNm: round(Math.max(...jumps.map((j) => j.distanceNm)), 2),
            examples: jumps.slice(0, 10).map((j) => ({
                from: fix(j.from),
                to: fix(j.to),
                distanceNm: round(j.distanceNm, 2),
                impliedSpeedKn: round(j.speedKn, 1),
            })),
            thresholds: {
                implausibleSpeedKn: s.implausibleSpeedKn,
                incidentGapMinutes: s.incidentGapMinutes,
            },
        },
    };
}

function dualTrackFinding(
    track: VesselTrack,
    fixes: readonly TrackFix[],
    assignment: readonly number[],
    period: { from: number; to: number },
    switches: number,
    s: IdentitySettings,
): FindingDraft {
    // Separation: each fix of track 1 in the period against the nearest-in-time fix of track 0.
    const t0 = fixes.filter((_, i) => assignment[i] === 0);
    const t1 = fixes.filter((_, i) => assignment[i] === 1);
    const separations = t1
        .filter((f) => f.t >= period.from && f.t <= period.to)
        .map((f) => {
            const near = t0.reduce((m, g) => (Math.abs(g.t - f.t) < Math.abs(m.t - f.t) ? g : m), t0[0]!);
            return haversineNm(f.lat, f.lon, near.lat, near.lon);
        });
    const sample = (list: TrackFix[]) => {
        const f = list.find((x) => x.t >= period.from) ?? list[0]!;
        return { time: new Date(f.t).toISOString(), lat: f.lat, lon: f.lon };
    };
    const minSep = separations.length > 0 ? Math.min(...separations) : 0;
    const maxSep = separations.length > 0 ? Math.max(...separations) : 0;
    return {
        id: findingId('identity-simultaneous-tracks', track.mmsi, [timeKey(period.from)]),
        check: 'identity-simultaneous-tracks',
        severity: 'critical',
        mmsi: track.mmsi,
        ...(track.imo !== undefined && { imo: track.imo }),
        firstSeen: period.from,
        lastSeen: period.to,
        position: { lat: t0[0]!.lat, lon: t0[0]!.lon },
        summary: `Two simultaneous tracks under MMSI ${track.mmsi}, ${round(minSep, 0)}-${round(maxSep, 0)} NM apart (${t0.length} + ${t1.length} fixes)`,
        evidence: {
            rule: `Fixes of one MMSI form two tracks, each plausible alone (<= ${s.implausibleSpeedKn} kn), alternating at least ${s.dualTrackMinSwitches} times, each with at least ${s.dualTrackMinFixes} fixes`,
            source: 'ITU-R M.585 (one MMSI identifies one station); IMO Res. A.1106(29) (AIS data integrity)',
            fixesTrackA: t0.length,
            fixesTrackB: t1.length,
            switches,
            separationNm: { min: round(minSep, 1), max: round(maxSep, 1) },
            trackA: sample(t0),
            trackB: sample(t1),
        },
    };
}

/** One MMSI's IMO reports in the window: the IMO as reported and the first and last event times it was seen. */
export interface ImoReport {
    mmsi: number;
    imo: number;
    firstT: number;
    lastT: number;
}

const IMO_SOURCE =
    'IMO Res. A.1117(30) (IMO ship identification number scheme: 7 digits with a check digit, one number per ship for life)';

/** Invalid and reused IMO numbers across every vessel of the window. */
export function imoFindings(reports: readonly ImoReport[], window: CheckWindow): FindingDraft[] {
    const out: FindingDraft[] = [];
    const byImo = new Map<number, ImoReport[]>();
    for (const r of reports) {
        if (!Number.isFinite(r.imo) || r.imo <= 0 || r.lastT < window.start || r.firstT >= window.end)
            continue;
        if (!isValidImo(r.imo)) {
            out.push({
                id: findingId('identity-invalid-imo', r.mmsi, [r.imo]),
                check: 'identity-invalid-imo',
                severity: 'info',
                mmsi: r.mmsi,
                firstSeen: r.firstT,
                lastSeen: r.lastT,
                summary: `Reports IMO ${r.imo}, which fails the IMO check digit`,
                evidence: {
                    rule: 'An IMO number is 7 digits whose last is the check digit (digits 1-6 weighted 7..2, sum mod 10)',
                    source: IMO_SOURCE,
                    imo: r.imo,
                },
            });
            continue;
        }
        const list = byImo.get(r.imo);
        if (list === undefined) byImo.set(r.imo, [r]);
        else list.push(r);
    }
    for (const [imo, list] of byImo) {
        const mmsis = [...new Set(list.map((r) => r.mmsi))];
        if (mmsis.length < 2) continue;
        for (const r of list) {
            const overlapping = list.filter(
                (o) => o.mmsi !== r.mmsi && o.firstT <= r.lastT && r.firstT <= o.lastT,
            );
            if (overlapping.length === 0) continue;
            out.push({
                id: findingId('identity-reused-imo', r.mmsi, [imo]),
                check: 'identity-reused-imo',
                severity: 'warning',
                mmsi: r.mmsi,
                imo,
                firstSeen: r.firstT,
                lastSeen: r.lastT,
                summary: `IMO ${imo} is also reported by MMSI ${overlapping.map((o) => o.mmsi).join(', ')} at the same time`,
                evidence: {
                    rule: 'One IMO number identifies one ship: it may not be reported by two MMSIs at the same time',
                    source: IMO_SOURCE,
                    imo,
                    otherMmsis: overlapping.map((o) => ({
                        mmsi: o.mmsi,
                        firstSeen: new Date(o.firstT).toISOString(),
                        lastSeen: new Date(o.lastT).toISOString(),
                    })),
                },
            });
        }
    }
    return out;
}
