/**
 * Fleet KPI tiles. From gold where it is built: `/api/fleet/summary?date` (fleet_daily: vessels, distance_nm, fuel_t,
 * co2_t), `/api/fleet/cii?year` (distribution.yearToDate/projected: vessels per letter), `/api/dq?date` (dq_daily rows).
 * A gold tile whose day is not built yet says "no data yet". Vessels active falls back to the live state, events per
 * second come from `/api/ingest/rate`, freshness per layer from `/api/health`.
 */
import {
    type DqPage,
    type FleetCii,
    type FleetSummary,
    getAllPages,
    getJson,
    getOptional,
    type Health,
    type IngestRate,
} from './api.js';
import { CII_LETTERS, ingestTotals } from './fleet.js';
import { esc, fmtNumber } from './format.js';

const REFRESH_MS = 10_000;

interface Tile {
    id: string;
    label: string;
    value: string;
    sub?: string;
    noData?: boolean;
    html?: string;
    href?: string;
}

function today(): string {
    return new Date().toISOString().slice(0, 10);
}

function noData(id: string, label: string, why: string): Tile {
    return { id, label, value: 'no data yet', sub: why, noData: true };
}

/** The CII tile: vessels rated per letter (year to date), the projected distribution in the tooltip. */
export function ciiTile(cii: FleetCii, href: string): Tile {
    const ytd = cii.distribution.yearToDate;
    const rated = CII_LETTERS.reduce((n, r) => n + (ytd[r] ?? 0), 0);
    const label = `CII ratings ${cii.year}`;
    if (rated === 0)
        return {
            ...noData(
                'cii',
                label,
                `no vessel rated yet${cii.distribution.notRated ? ` (${cii.distribution.notRated} not rated)` : ''}`,
            ),
            href,
        };
    const bars = CII_LETTERS.map(
        (r) =>
            `<span class="cii-bar cii-${r}" data-rating="${r}" style="flex:${(ytd[r] ?? 0) / rated}" title="${r}: ${ytd[r] ?? 0} year to date, ${cii.distribution.projected[r] ?? 0} projected">${r} ${ytd[r] ?? 0}</span>`,
    ).join('');
    return {
        id: 'cii',
        label,
        value: fmtNumber(rated),
        sub: `vessels rated year to date${cii.distribution.notRated ? ` · ${fmtNumber(cii.distribution.notRated)} not rated` : ''}`,
        html: `<div class="cii-dist">${bars}</div>`,
        href,
    };
}

export class KpiTiles {
    private timer: number | undefined;
    onError: (error: unknown) => void = () => undefined;

    constructor(private readonly root: HTMLElement) {}

    start(): void {
        void this.reload();
        this.timer = window.setInterval(() => void this.reload(), REFRESH_MS);
    }

    stop(): void {
        if (this.timer !== undefined) window.clearInterval(this.timer);
    }

    async reload(): Promise<void> {
        try {
            const date = today();
            const startOfDay = Date.parse(`${date}T00:00:00Z`);
            const [health, rate, summary, dq, cii, activeToday] = await Promise.all([
                getJson<Health>('health'),
                getJson<IngestRate>('ingest/rate'),
                getOptional<FleetSummary>(`fleet/summary?date=${date}`),
                getOptional<DqPage>(`dq?date=${date}`),
                getOptional<FleetCii>(`fleet/cii?year=${date.slice(0, 4)}`),
                getAllPages<{ mmsi: number }>(`vessels?updatedSince=${startOfDay}&limit=1000`, 50_000).then(
                    (v) => v.length,
                ),
            ]);
            const tiles: Tile[] = [];
            const so = summary?.partial ? ' so far' : '';
            tiles.push(
                summary
                    ? {
                          id: 'vessels-active',
                          label: 'Vessels active today',
                          value: fmtNumber(summary.vessels),
                          sub: `gold fleet summary${so}`,
                      }
                    : {
                          id: 'vessels-active',
                          label: 'Vessels active today',
                          value: fmtNumber(activeToday),
                          sub: 'live state: seen since 00:00 UTC',
                      },
            );
            const ais = rate.sources.ais;
            const sensors = rate.sources.sensors;
            tiles.push({
                id: 'events-per-second',
                label: 'Events / s now',
                value: fmtNumber(ais?.eventsPerSecond, 1),
                sub: `AIS, last ${rate.windowSeconds} s${sensors ? ` · sensors ${fmtNumber(sensors.eventsPerSecond, 1)}/s` : ''}`,
            });
            if (summary) {
                tiles.push({
                    id: 'distance',
                    label: 'Distance today',
                    value: `${fmtNumber(summary.distance_nm)} NM`,
                    sub: `gold${so}`,
                });
                tiles.push({
                    id: 'fuel',
                    label: 'Fuel today',
                    value: `${fmtNumber(summary.fuel_t, 1)} t`,
                    sub: `gold${so}`,
                });
                tiles.push({
                    id: 'co2',
                    label: 'CO2 today',
                    value: `${fmtNumber(summary.co2_t, 1)} t`,
                    sub: `gold${so}`,
                });
            } else {
                const why = `gold fleet summary of ${date} not built yet (/api/fleet/summary)`;
                tiles.push(
                    noData('distance', 'Distance today', why),
                    noData('fuel', 'Fuel today', why),
                    noData('co2', 'CO2 today', why),
                );
            }
            tiles.push(
                cii
                    ? ciiTile(cii, 'dashboard#/fleet')
                    : noData('cii', 'CII ratings', '/api/fleet/cii not available'),
            );
            tiles.push(this.dataQuality(health, dq));
            this.render(tiles);
        } catch (error) {
            this.onError(error);
        }
    }

    /** Accepted share of what the ingest received today (gold dq_daily, bronze rows), top quarantine reasons, freshness. */
    private dataQuality(health: Health, dq: DqPage | undefined): Tile {
        const fresh = Object.entries(health.layers)
            .map(
                ([layer, h]) =>
                    `<span class="fresh" title="${esc(layer)}: age of the last batch written">${esc(layer)} ${h.ageSeconds !== undefined ? `${fmtNumber(h.ageSeconds)} s` : '-'}</span>`,
            )
            .join('');
        const totals = dq ? ingestTotals(dq.items) : undefined;
        const base = {
            id: 'data-quality',
            label: 'Data quality today',
            html: `<div class="freshness">${fresh}</div>`,
            href: 'dashboard#/fleet',
        };
        if (!totals || totals.received === 0) {
            return {
                ...base,
                value: 'no data yet',
                noData: true,
                sub: `dq of today not built yet (/api/dq); ingest ${health.status}, freshness:`,
            };
        }
        const reasons = Object.entries(totals.byReason)
            .sort((a, b) => b[1] - a[1])
            .slice(0, 3)
            .map(([r, n]) => `${esc(r)} ${fmtNumber(n)}`)
            .join(', ');
        return {
            ...base,
            value: `${fmtNumber((100 * totals.accepted) / totals.received, 1)} % accepted`,
            sub: `${fmtNumber(totals.accepted)} of ${fmtNumber(totals.received)} · quarantined ${fmtNumber(totals.quarantined)}${reasons ? ` (${reasons})` : ''}`,
        };
    }

    private render(tiles: Tile[]): void {
        this.root.innerHTML = tiles
            .map((t) => {
                const body = `<div class="tile-label">${esc(t.label)}</div><div class="tile-value">${esc(t.value)}</div>${t.sub ? `<div class="tile-sub">${esc(t.sub)}</div>` : ''}${t.html ?? ''}`;
                const cls = `tile${t.noData ? ' no-data' : ''}${t.href ? ' link' : ''}`;
                return t.href
                    ? `<a class="${cls}" data-kpi="${esc(t.id)}" href="${esc(t.href)}">${body}</a>`
                    : `<div class="${cls}" data-kpi="${esc(t.id)}">${body}</div>`;
            })
            .join('');
    }
}
