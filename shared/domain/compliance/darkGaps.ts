/**
 * AIS dark gaps.
 *
 * Rule: a ship must keep its AIS in operation at all times, at sea and at anchor, except where the master judges
 * that it compromises safety or security (SOLAS V/19.2.4.7; IMO Res. A.1106(29) para. 21). So a vessel silent for
 * at least `minGapHours` (default 6 h) while at sea is a finding: the silence starts at a fix that is neither in a
 * port nor moored (navigational status 5).
 *
 * "In port" is within the nearest port's own area (`radius_nm` of the port list, the area in which gold port calls
 * count a stopped vessel as arrived), not one radius for every port: the rule's exemption is for a ship in port (at
 * berth), while a ship at anchor must keep AIS on (SOLAS V/19, A.1106(29) para. 21: "at sea and at anchor"), and
 * anchorages lie a few miles off the port position, so a wide fixed radius would excuse silences at anchor. A port
 * whose berths lie further from its reference point gets a larger `radius_nm`, which moves its port calls and this
 * check together.
 *
 * A silence of at least `disablingGapHours` (default 12 h) whose start and end both lie more than
 * `disablingMinDistanceNm` (default 50 NM) from the nearest port is a suspected intentional disabling (critical).
 * Source of those two thresholds: Global Fishing Watch's AIS-disabling rules (gaps under 12 h are not meaningful
 * for satellite AIS revisit times; both ends more than 50 NM from shore). Here "shore" is the nearest port of the
 * port list, a coarser proxy that can only overstate the distance to land; the evidence names the port.
 *
 * Attribution: a gap belongs to the window in which it ends (its next fix), or, when the vessel is still silent at
 * the end of the window, to that window as an ongoing gap (`ongoing: true`, last seen = the window end, or how far
 * the feed's data reaches when that is earlier, `CheckWindow.heardUntil`, feedHorizon.ts: a feed that lags behind
 * the clock does not make its vessels dark; none when that lies before the window). Its id is
 * anchored at the last fix before the silence, so the next window that sees the vessel reappear updates the same
 * finding. Fixes flagged as implausible jumps are not used as gap end points (their position is doubtful).
 */
import { haversineNm } from '../geo/geo.js';
import { type FindingDraft, findingId, round, timeKey } from './finding.js';
import {
    type CheckWindow,
    HOUR_MS,
    nearestPort,
    orderedFixes,
    type PortLocation,
    type TrackFix,
    type VesselTrack,
} from './inputs.js';

export interface DarkGapSettings {
    /** A silence at sea at least this long is a finding (hours). Default 6. */
    minGapHours: number;
    /** At least this long and far from ports is a suspected disabling (hours). Default 12. */
    disablingGapHours: number;
    /** Both ends further than this from the nearest port for a suspected disabling (NM). Default 50. */
    disablingMinDistanceNm: number;
}

export const DEFAULT_DARK_GAP_SETTINGS: DarkGapSettings = {
    minGapHours: 6,
    disablingGapHours: 12,
    disablingMinDistanceNm: 50,
};

const MOORED = 5;
const SOURCE_GAP = 'SOLAS V/19.2.4.7; IMO Res. A.1106(29) para. 21';
const SOURCE_DISABLING =
    'Global Fishing Watch AIS-disabling rules (gap >= 12 h, both ends > 50 NM from shore)';

export function darkGapFindings(
    track: VesselTrack,
    window: CheckWindow,
    ports: readonly PortLocation[],
    settings: DarkGapSettings = DEFAULT_DARK_GAP_SETTINGS,
): FindingDraft[] {
    const minMs = settings.minGapHours * HOUR_MS;
    const fixes = orderedFixes(track.fixes.filter((f) => f.jump !== true && f.t < window.end));
    // A silence still going on is known up to how far the feed's data reaches (feedHorizon.ts), not up to the clock.
    const heard = Math.min(window.end, window.heardUntil ?? window.end);
    const out: FindingDraft[] = [];
    for (let i = 0; i < fixes.length; i++) {
        const a = fixes[i]!;
        const b = fixes[i + 1];
        if (b === undefined && heard < window.start) continue;
        const endT = b?.t ?? heard;
        if (endT - a.t < minMs) continue;
        // A gap is this window's when it ends in it, or is still going on at its end.
        if (b !== undefined && b.t < window.start) continue;
        const startPort = nearestPort(ports, a.lat, a.lon);
        const inPort = startPort !== undefined && startPort.distanceNm <= startPort.port.radiusNm;
        if (inPort || a.navStatus === MOORED) continue;
        out.push(gapFinding(track, a, b, endT, startPort, ports, settings));
    }
    return out;
}

function gapFinding(
    track: VesselTrack,
    a: TrackFix,
    b: TrackFix | undefined,
    endT: number,
    startPort: { port: PortLocation; distanceNm: number } | undefined,
    ports: readonly PortLocation[],
    s: DarkGapSettings,
): FindingDraft {
    const hours = (endT - a.t) / HOUR_MS;
    const endPort = b === undefined ? undefined : nearestPort(ports, b.lat, b.lon);
    const far = (p: { distanceNm: number } | undefined): boolean =>
        p === undefined || p.distanceNm > s.disablingMinDistanceNm;
    // Still dark: judged on the start alone (the end is not known yet).
    const suspected = hours >= s.disablingGapHours && far(startPort) && (b === undefined || far(endPort));
    const distanceNm = b === undefined ? undefined : haversineNm(a.lat, a.lon, b.lat, b.lon);
    const portRef = (p: { port: PortLocation; distanceNm: number } | undefined) =>
        p === undefined
            ? null
            : {
                  locode: p.port.locode,
                  name: p.port.name,
                  distanceNm: round(p.distanceNm, 1),
                  radiusNm: p.port.radiusNm,
              };
    return {
        id: findingId('ais-dark-gap', track.mmsi, [timeKey(a.t)]),
        check: 'ais-dark-gap',
        severity: suspected ? 'critical' : 'warning',
        mmsi: track.mmsi,
        ...(track.imo !== undefined && { imo: track.imo }),
        firstSeen: a.t,
        lastSeen: endT,
        ...(b === undefined && { ongoing: true }),
        position: { lat: a.lat, lon: a.lon },
        summary: `${suspected ? 'Suspected AIS disabling' : 'AIS dark gap'}: silent ${round(hours, 1)} h at sea${b === undefined ? ' (still silent)' : `, reappeared ${round(distanceNm ?? 0, 1)} NM away`}`,
        evidence: {
            rule: suspected
                ? `AIS silent >= ${s.disablingGapHours} h with both ends > ${s.disablingMinDistanceNm} NM from the nearest port: suspected intentional disabling`
                : `AIS silent >= ${s.minGapHours} h at sea (not in port, not moored)`,
            source: suspected ? `${SOURCE_GAP}; ${SOURCE_DISABLING}` : SOURCE_GAP,
            gapHours: round(hours, 2),
            start: {
                time: new Date(a.t).toISOString(),
                lat: a.lat,
                lon: a.lon,
                sog: a.sog ?? null,
                navStatus: a.navStatus ?? null,
            },
            end:
                b === undefined
                    ? null
                    : { time: new Date(b.t).toISOString(), lat: b.lat, lon: b.lon, sog: b.sog ?? null },
            distanceNm: distanceNm === undefined ? null : round(distanceNm, 2),
            impliedSpeedKn: distanceNm === undefined ? null : round(distanceNm / hours, 2),
            nearestPortAtStart: portRef(startPort),
            nearestPortAtEnd: portRef(endPort),
            suspectedDisabling: suspected,
            thresholds: {
                minGapHours: s.minGapHours,
                disablingGapHours: s.disablingGapHours,
                disablingMinDistanceNm: s.disablingMinDistanceNm,
            },
        },
    };
}
