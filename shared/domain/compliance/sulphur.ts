/**
 * Fuel sulphur above the cap, as findings.
 *
 * Rule (MARPOL Annex VI reg. 14): the sulphur content of fuel oil used on board shall not exceed 0.50 % m/m
 * (reg. 14.1.3, from 1 Jan 2020), and 0.10 % m/m while operating inside an Emission Control Area for SOx
 * (reg. 14.4, from 1 Jan 2015; each ECA from its own effective date), unless an approved equivalent such as an
 * exhaust gas cleaning system (scrubber) is used (reg. 4), which these readings cannot show: the evidence says so.
 *
 * Input: fuel-sulphur sensor readings (silver `sensor_readings`, quantity `fuel_sulphur`, % m/m) with the position
 * at the reading time; which ECA a position is in comes from the zone index (in force at the reading time). A
 * reading without a position can only be judged against the global cap.
 *
 * Finding: per vessel, UTC day and zone (an ECA, or outside any ECA = global), the readings above the cap: how
 * many, the highest, first and last; the hours the vessel spent in that zone that day (from its fixes: consecutive
 * fixes at most `maxFixGapMinutes` apart, both in the zone); and the fuel burned there, from gold emissions when
 * the vessel-day has a row (the row's fuel inside the zone when it has one, otherwise the day's fuel pro rata to the
 * hours in the zone, and the evidence names the method), with the excess SO2 that fuel implies
 * (fuel x (S - cap) x 2, SO2 having twice the mass of S).
 */
import { type FindingDraft, findingId, round } from './finding.js';
import { HOUR_MS, orderedFixes, type VesselTrack } from './inputs.js';

export interface SulphurReading {
    mmsi: number;
    imo?: number;
    sensorId: string;
    /** Event time, epoch ms. */
    t: number;
    /** Fuel sulphur, % m/m. */
    valuePct: number;
    lat?: number;
    lon?: number;
}

/** Gold `emissions_daily` figures for one vessel-day, when present. */
export interface DailyFuel {
    /** UTC day, YYYY-MM-DD. */
    date: string;
    /** Fuel burned that day, all engines, tonnes. */
    fuelTonnes: number;
    /** Fuel burned inside each ECA that day (by zone id), tonnes, when the emission model split it. */
    fuelTonnesByZone?: Record<string, number>;
    /** Fuel burned inside any SOx ECA that day, tonnes (gold `fuel_in_seca_t`). */
    fuelTonnesInEcas?: number;
}

export interface SulphurSettings {
    /** Cap inside a SOx ECA, % m/m. Default 0.10. */
    ecaCapPct: number;
    /** Cap everywhere else, % m/m. Default 0.50. */
    globalCapPct: number;
    /** Consecutive fixes further apart than this do not count towards the time in a zone (minutes). Default 60. */
    maxFixGapMinutes: number;
}

export const DEFAULT_SULPHUR_SETTINGS: SulphurSettings = {
    ecaCapPct: 0.1,
    globalCapPct: 0.5,
    maxFixGapMinutes: 60,
};

export interface SulphurContext {
    /** The SOx ECA in force containing the position at time t, if any. */
    ecaAt(lat: number, lon: number, t: number): { id: string; name: string } | undefined;
    /** The vessel's fixes (for the time in each zone). */
    track?: VesselTrack;
    /** Gold emissions by UTC day. */
    fuelByDay?: ReadonlyMap<string, DailyFuel>;
}

const GLOBAL = 'global';
const DAY_MS = 86_400_000;

interface Group {
    day: string;
    zone: { id: string; name: string } | undefined;
    readings: SulphurReading[];
    unpositioned: number;
}

export function sulphurFindings(
    mmsi: number,
    readings: readonly SulphurReading[],
    window: { start: number; end: number },
    ctx: SulphurContext,
    settings: SulphurSettings = DEFAULT_SULPHUR_SETTINGS,
): FindingDraft[] {
    const groups = new Map<string, Group>();
    for (const r of readings) {
        if (r.mmsi !== mmsi || r.t < window.start || r.t >= window.end || !Number.isFinite(r.valuePct))
            continue;
        const positioned = r.lat !== undefined && r.lon !== undefined;
        const zone = positioned ? ctx.ecaAt(r.lat!, r.lon!, r.t) : undefined;
        const cap = zone === undefined ? settings.globalCapPct : settings.ecaCapPct;
        if (!(r.valuePct > cap)) continue;
        const day = new Date(r.t).toISOString().slice(0, 10);
        const key = `${day}|${zone?.id ?? GLOBAL}`;
        let g = groups.get(key);
        if (g === undefined) groups.set(key, (g = { day, zone, readings: [], unpositioned: 0 }));
        g.readings.push(r);
        if (!positioned) g.unpositioned++;
    }
    const out: FindingDraft[] = [];
    for (const g of groups.values()) out.push(groupFinding(mmsi, g, ctx, settings));
    return out.sort((a, b) => a.firstSeen - b.firstSeen || (a.id < b.id ? -1 : 1));
}

function groupFinding(mmsi: number, g: Group, ctx: SulphurContext, s: SulphurSettings): FindingDraft {
    const inEca = g.zone !== undefined;
    const cap = inEca ? s.ecaCapPct : s.globalCapPct;
    const rs = [...g.readings].sort((a, b) => a.t - b.t);
    const first = rs[0]!;
    const last = rs[rs.length - 1]!;
    const max = rs.reduce((m, r) => (r.valuePct > m.valuePct ? r : m), first);
    const dayStart = Date.parse(`${g.day}T00:00:00Z`);
    const time = ctx.track === undefined ? undefined : hoursInZone(ctx, g.zone?.id, dayStart, s);
    const fuel = ctx.fuelByDay?.get(g.day);
    let fuelInZone: { tonnes: number; method: string } | undefined;
    if (fuel !== undefined) {
        const byZone = g.zone !== undefined ? fuel.fuelTonnesByZone?.[g.zone.id] : undefined;
        if (byZone !== undefined)
            fuelInZone = { tonnes: byZone, method: 'gold emissions_daily, fuel inside the zone' };
        else if (time !== undefined && time.coveredHours > 0)
            fuelInZone = {
                tonnes: (fuel.fuelTonnes * time.hours) / time.coveredHours,
                method: 'gold emissions_daily day fuel x hours in the zone / hours covered by fixes',
            };
        else if (!inEca && time === undefined)
            fuelInZone = {
                tonnes: fuel.fuelTonnes,
                method: 'gold emissions_daily day fuel (no fixes to split it)',
            };
    }
    const meanPct = rs.reduce((sum, r) => sum + r.valuePct, 0) / rs.length;
    const where = inEca ? `inside ${g.zone!.name}` : 'outside any ECA';
    const check = inEca ? 'sulphur-eca' : 'sulphur-global';
    return {
        id: findingId(check, mmsi, inEca ? [g.zone!.id, g.day] : [g.day]),
        check,
        severity: 'critical',
        mmsi,
        ...(first.imo !== undefined && { imo: first.imo }),
        firstSeen: first.t,
        lastSeen: last.t,
        ...(max.lat !== undefined && max.lon !== undefined && { position: { lat: max.lat, lon: max.lon } }),
        summary: `Fuel sulphur up to ${round(max.valuePct, 3)} % m/m ${where} on ${g.day} (cap ${cap} %), ${rs.length} reading(s)`,
        evidence: {
            rule: inEca
                ? `Fuel sulphur <= ${s.ecaCapPct} % m/m inside a SOx Emission Control Area`
                : `Fuel sulphur <= ${s.globalCapPct} % m/m outside Emission Control Areas`,
            source: inEca
                ? 'MARPOL Annex VI reg. 14.4 (ECA cap, 0.10 % from 1 Jan 2015)'
                : 'MARPOL Annex VI reg. 14.1.3 (global cap, 0.50 % from 1 Jan 2020)',
            day: g.day,
            zone: g.zone ?? null,
            capPct: cap,
            readingsAboveCap: rs.length,
            readingsWithoutPosition: g.unpositioned,
            maxPct: round(max.valuePct, 4),
            meanPct: round(meanPct, 4),
            maxReading: { sensorId: max.sensorId, time: new Date(max.t).toISOString() },
            firstReading: new Date(first.t).toISOString(),
            lastReading: new Date(last.t).toISOString(),
            hoursInZoneThatDay: time === undefined ? null : round(time.hours, 2),
            hoursCoveredByFixes: time === undefined ? null : round(time.coveredHours, 2),
            fuelBurnedInZoneTonnes: fuelInZone === undefined ? null : round(fuelInZone.tonnes, 3),
            fuelMethod: fuelInZone?.method ?? 'no gold emissions for this vessel-day',
            excessSo2Tonnes:
                fuelInZone === undefined ? null : round(fuelInZone.tonnes * ((meanPct - cap) / 100) * 2, 4),
            note: 'Compliant if an approved exhaust gas cleaning system (MARPOL Annex VI reg. 4) was in use; readings cannot show it.',
        },
    };
}

/** Hours of the UTC day starting `dayStart` the vessel spent in the zone (`undefined` = outside every ECA). */
function hoursInZone(
    ctx: SulphurContext,
    zoneId: string | undefined,
    dayStart: number,
    s: SulphurSettings,
): { hours: number; coveredHours: number } {
    const fixes = orderedFixes(ctx.track!.fixes.filter((f) => f.jump !== true));
    const dayEnd = dayStart + DAY_MS;
    let inside = 0;
    let covered = 0;
    for (let i = 1; i < fixes.length; i++) {
        const a = fixes[i - 1]!;
        const b = fixes[i]!;
        if (b.t - a.t > s.maxFixGapMinutes * 60_000) continue;
        const from = Math.max(a.t, dayStart);
        const to = Math.min(b.t, dayEnd);
        if (to <= from) continue;
        covered += to - from;
        const za = ctx.ecaAt(a.lat, a.lon, a.t)?.id;
        const zb = ctx.ecaAt(b.lat, b.lon, b.t)?.id;
        if (za === zoneId && zb === zoneId) inside += to - from;
    }
    return { hours: inside / HOUR_MS, coveredHours: covered / HOUR_MS };
}
