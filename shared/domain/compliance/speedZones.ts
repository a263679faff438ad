/**
 * Seasonal speed zones, from the versioned data file `config/speed-zones.json` (bundled at build time, checked at
 * start by `parseSpeedZones`). The first zones are the US North Atlantic right whale Seasonal Management Areas:
 *
 * Rule (50 CFR 224.105(a)): vessels of 65 ft (19.8 m) overall length or more shall travel at 10 knots or less over
 * ground inside a Seasonal Management Area during its season (Southeast U.S. 15 Nov - 15 Apr; Mid-Atlantic 1 Nov -
 * 30 Apr; Cape Cod Bay 1 Jan - 15 May; ...). It binds US vessels and every vessel entering or leaving a US port; AIS
 * cannot tell a foreign vessel in innocent passage, so every vessel of known length >= the zone's minimum is
 * checked (the evidence says so). Vessels of unknown length are not judged. Exempt state and federal vessels are
 * not identifiable from AIS either.
 *
 * Finding: a stretch of track inside one zone, in season, with every fix above the limit (SOG, or where SOG is
 * missing the implied speed from the previous fix), fixes at most `maxFixGapMinutes` apart, lasting at least
 * `minDurationMinutes` over at least 2 fixes ("sustained": a single fast report is not a finding). Evidence: the
 * stretch's distance (great circle between its fixes), duration, maximum and mean speed, the entry and exit points.
 * Seasons are judged in UTC. The id is anchored at the stretch's first fix; a stretch still going on at the end of
 * the data is `ongoing`, and the next window (which looks back) extends the same finding.
 */
import { haversineNm } from '../geo/geo.js';
import { polygonContains, type PreparedPolygon, prepareGeometry } from '../zones/geometry.js';
import type { PolygonCoordinates } from '../zones/types.js';
import { type FindingDraft, findingId, round, timeKey } from './finding.js';
import { type CheckWindow, orderedFixes, type TrackFix, type VesselTrack } from './inputs.js';

export interface Season {
    /** Month-day `MM-DD`, inclusive. */
    from: string;
    /** Month-day `MM-DD`, inclusive; before `from` = the season wraps over the year end. */
    to: string;
}

export type SpeedZoneGeometry =
    | { type: 'Polygon'; coordinates: PolygonCoordinates }
    | { type: 'Circle'; center: readonly [lon: number, lat: number]; radiusNm: number };

export interface SpeedZoneDefinition {
    id: string;
    name: string;
    limitKn: number;
    appliesTo: { minLengthM: number };
    seasons: Season[];
    /** YYYY-MM-DD from which the rule applies. */
    validFrom?: string;
    rule: string;
    source: string;
    geometrySource: string;
    precision: string;
    geometry: SpeedZoneGeometry;
}

export interface SpeedZoneFile {
    version: string;
    zones: SpeedZoneDefinition[];
}

/** A checked zone, with its geometry prepared for point-in-polygon. */
export interface SpeedZone extends SpeedZoneDefinition {
    contains(lat: number, lon: number): boolean;
    inEffect(t: number): boolean;
}

export interface SpeedZoneSet {
    version: string;
    zones: SpeedZone[];
}

export class SpeedZoneDataError extends Error {
    override readonly name = 'SpeedZoneDataError';
}

const MONTH_DAY = /^(0[1-9]|1[0-2])-(0[1-9]|[12]\d|3[01])$/;

/** Validates the speed zone file; every problem is listed in one error. */
export function parseSpeedZones(json: unknown): SpeedZoneSet {
    const problems: string[] = [];
    const file = json as Partial<SpeedZoneFile> | null;
    if (
        file === null ||
        typeof file !== 'object' ||
        typeof file.version !== 'string' ||
        !Array.isArray(file.zones)
    )
        throw new SpeedZoneDataError('expected { version: string, zones: [...] }');
    const ids = new Set<string>();
    const zones: SpeedZone[] = [];
    file.zones.forEach((z, i) => {
        const where = `zones[${i}]${typeof z?.id === 'string' ? ` (${z.id})` : ''}`;
        const before = problems.length;
        if (typeof z?.id !== 'string' || z.id === '') problems.push(`${where}: id missing`);
        else if (ids.has(z.id)) problems.push(`${where}: duplicate id`);
        else ids.add(z.id);
        if (!(typeof z?.limitKn === 'number' && z.limitKn > 0))
            problems.push(`${where}: limitKn must be > 0`);
        if (!(typeof z?.appliesTo?.minLengthM === 'number' && z.appliesTo.minLengthM >= 0))
            problems.push(`${where}: appliesTo.minLengthM must be a number >= 0`);
        if (!Array.isArray(z?.seasons) || z.seasons.length === 0) problems.push(`${where}: seasons missing`);
        else
            for (const s of z.seasons)
                if (!MONTH_DAY.test(String(s?.from)) || !MONTH_DAY.test(String(s?.to)))
                    problems.push(`${where}: a season needs from/to as MM-DD`);
        for (const field of ['name', 'rule', 'source', 'geometrySource', 'precision'] as const)
            if (typeof z?.[field] !== 'string' || z[field] === '')
                problems.push(`${where}: ${field} missing`);
        if (z?.validFrom !== undefined && !Number.isFinite(Date.parse(z.validFrom)))
            problems.push(`${where}: validFrom must be a date`);
        const g = z?.geometry;
        let contains: ((lat: number, lon: number) => boolean) | undefined;
        if (g?.type === 'Circle') {
            const [lon, lat] = g.center ?? [];
            if (typeof lon !== 'number' || typeof lat !== 'number' || !(g.radiusNm > 0))
                problems.push(`${where}: a Circle needs center [lon, lat] and radiusNm > 0`);
            else contains = (la, lo) => haversineNm(la, lo, lat, lon) <= g.radiusNm;
        } else if (g?.type === 'Polygon') {
            try {
                const parts: PreparedPolygon[] = prepareGeometry({
                    type: 'Polygon',
                    coordinates: g.coordinates,
                });
                contains = (la, lo) => parts.some((p) => polygonContains(p, la, lo));
            } catch (error) {
                problems.push(`${where}: bad polygon (${(error as Error).message})`);
            }
        } else problems.push(`${where}: geometry must be a Polygon or a Circle`);
        if (problems.length > before || contains === undefined) return;
        const validFrom = z.validFrom === undefined ? -Infinity : Date.parse(z.validFrom);
        zones.push({
            ...z,
            contains,
            inEffect: (t) => t >= validFrom && z.seasons.some((s) => inSeason(t, s)),
        });
    });
    if (problems.length > 0)
        throw new SpeedZoneDataError(`invalid speed zone file:\n- ${problems.join('\n- ')}`);
    return { version: file.version, zones };
}

/** Whether the UTC date of `t` lies in the season (month-day range, inclusive, wrapping over the year end). */
export function inSeason(t: number, season: Season): boolean {
    const md = new Date(t).toISOString().slice(5, 10);
    return season.from <= season.to
        ? md >= season.from && md <= season.to
        : md >= season.from || md <= season.to;
}

export interface SpeedSettings {
    /** Fixes further apart than this break a stretch (minutes). Default 30. */
    maxFixGapMinutes: number;
    /** A stretch must last at least this long (minutes). Default 5. */
    minDurationMinutes: number;
}

export const DEFAULT_SPEED_SETTINGS: SpeedSettings = { maxFixGapMinutes: 30, minDurationMinutes: 5 };

interface Stretch {
    zone: SpeedZone;
    fixes: TrackFix[];
    speeds: number[];
}

export function speedZoneFindings(
    track: VesselTrack,
    window: CheckWindow,
    zoneSet: SpeedZoneSet,
    settings: SpeedSettings = DEFAULT_SPEED_SETTINGS,
): FindingDraft[] {
    if (track.lengthM === undefined) return [];
    const zones = zoneSet.zones.filter((z) => track.lengthM! >= z.appliesTo.minLengthM);
    if (zones.length === 0) return [];
    const fixes = orderedFixes(track.fixes.filter((f) => f.jump !== true && f.t < window.end));
    const maxGapMs = settings.maxFixGapMinutes * 60_000;
    const stretches: Stretch[] = [];
    const open = new Map<string, Stretch>();
    for (let i = 0; i < fixes.length; i++) {
        const f = fixes[i]!;
        const prev = fixes[i - 1];
        const gapOk = prev !== undefined && f.t - prev.t <= maxGapMs;
        let speed = f.sog;
        if (speed === undefined && gapOk && f.t > prev.t)
            speed = haversineNm(prev.lat, prev.lon, f.lat, f.lon) / ((f.t - prev.t) / 3_600_000);
        for (const zone of zones) {
            const current = open.get(zone.id);
            const fast =
                speed !== undefined &&
                speed > zone.limitKn &&
                zone.inEffect(f.t) &&
                zone.contains(f.lat, f.lon)
                    ? speed
                    : undefined;
            if (fast !== undefined && current !== undefined && gapOk) {
                current.fixes.push(f);
                current.speeds.push(fast);
                continue;
            }
            if (current !== undefined) {
                stretches.push(current);
                open.delete(zone.id);
            }
            if (fast !== undefined) open.set(zone.id, { zone, fixes: [f], speeds: [fast] });
        }
    }
    const lastT = fixes[fixes.length - 1]?.t;
    const out: FindingDraft[] = [];
    for (const s of [...stretches, ...open.values()]) {
        const first = s.fixes[0]!;
        const last = s.fixes[s.fixes.length - 1]!;
        if (s.fixes.length < 2 || last.t - first.t < settings.minDurationMinutes * 60_000) continue;
        if (last.t < window.start) continue; // an earlier window's
        out.push(stretchFinding(track, s, last.t === lastT, settings));
    }
    return out;
}

function stretchFinding(
    track: VesselTrack,
    s: Stretch,
    ongoing: boolean,
    settings: SpeedSettings,
): FindingDraft {
    const first = s.fixes[0]!;
    const last = s.fixes[s.fixes.length - 1]!;
    let distanceNm = 0;
    for (let i = 1; i < s.fixes.length; i++) {
        const a = s.fixes[i - 1]!;
        const b = s.fixes[i]!;
        distanceNm += haversineNm(a.lat, a.lon, b.lat, b.lon);
    }
    const hours = (last.t - first.t) / 3_600_000;
    const maxKn = Math.max(...s.speeds);
    const meanKn = distanceNm / hours;
    const z = s.zone;
    return {
        id: findingId('speed-zone', track.mmsi, [z.id, timeKey(first.t)]),
        check: 'speed-zone',
        severity: 'critical',
        mmsi: track.mmsi,
        ...(track.imo !== undefined && { imo: track.imo }),
        firstSeen: first.t,
        lastSeen: last.t,
        ...(ongoing && { ongoing: true }),
        position: { lat: first.lat, lon: first.lon },
        summary: `${round(maxKn, 1)} kn max over ${round(distanceNm, 1)} NM (${round(hours * 60, 0)} min) in ${z.name}, limit ${z.limitKn} kn`,
        evidence: {
            rule: z.rule,
            source: z.source,
            zone: { id: z.id, name: z.name, precision: z.precision, geometrySource: z.geometrySource },
            limitKn: z.limitKn,
            lengthM: track.lengthM,
            minLengthM: z.appliesTo.minLengthM,
            maxSpeedKn: round(maxKn, 1),
            meanSpeedKn: round(meanKn, 2),
            distanceNm: round(distanceNm, 2),
            durationMinutes: round(hours * 60, 1),
            fixes: s.fixes.length,
            entry: { time: new Date(first.t).toISOString(), lat: first.lat, lon: first.lon },
            exit: { time: new Date(last.t).toISOString(), lat: last.lat, lon: last.lon },
            applicability:
                'every vessel of known length at or above the minimum is checked; AIS cannot tell exempt (federal, state enforcement) or foreign vessels not bound for a US port',
            thresholds: settings,
        },
    };
}
