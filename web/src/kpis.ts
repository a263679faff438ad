/**
 * Fleet KPI tiles. From gold where it exists (issue 11: `/api/fleet/summary?date`, `/api/dq?date`; issue 12:
 * `/api/fleet/cii?year`); a tile whose endpoint answers 404 says "no data yet". Vessels active and events per
 * second come from the live state and `/api/ingest/rate`; freshness per layer from `/api/health`.
 */
import { getAllPages, getJson, getOptional, type Health, type IngestRate } from './api.js';
import { esc, fmtNumber, pick } from './format.js';

const REFRESH_MS = 10_000;

interface Tile {
    id: string;
    label: string;
    value: string;
    sub?: string;
    noData?: boolean;
    html?: string;
}

function today(): string {
    return new Date().toISOString().slice(0, 10);
}

function noData(id: string, label: string, endpoint: string): Tile {
    return { id, label, value: 'no data yet', sub: `${endpoint} not available`, noData: true };
}

function ciiDistribution(body: unknown): Record<string, number> | undefined {
    if (!body || typeof body !== 'object') return undefined;
    const o = body as Record<string, unknown>;
    const source = (o.distribution ?? o.ratings ?? o.byRating ?? o) as Record<string, unknown>;
    const out: Record<string, number> = {};
    for (const r of ['A', 'B', 'C', 'D', 'E']) {
        const v = source[r];
        if (typeof v === 'number') out[r] = v;
    }
    return Object.keys(out).length > 0 ? out : undefined;
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
                getOptional<Record<string, unknown>>(`fleet/summary?date=${date}`),
                getOptional<Record<string, unknown>>(`dq?date=${date}`),
                getOptional<unknown>(`fleet/cii?year=${date.slice(0, 4)}`),
                getAllPages<{ mmsi: number }>(`vessels?updatedSince=${startOfDay}&limit=1000`, 50_000).then((v) => v.length),
            ]);
            const tiles: Tile[] = [];
            const goldActive = pick(summary, 'vesselsActive', 'activeVessels', 'vessels');
            tiles.push({ id: 'vessels-active', label: 'Vessels active today', value: fmtNumber(goldActive ?? activeToday), sub: goldActive !== undefined ? 'gold fleet summary' : 'live state: seen since 00:00 UTC' });
            const ais = rate.sources.ais;
            const sensors = rate.sources.sensors;
            tiles.push({
                id: 'events-per-second',
                label: 'Events / s now',
                value: fmtNumber(ais?.eventsPerSecond, 1),
                sub: `AIS, last ${rate.windowSeconds} s${sensors ? ` · sensors ${fmtNumber(sensors.eventsPerSecond, 1)}/s` : ''}`,
            });
            if (summary) {
                tiles.push({ id: 'distance', label: 'Distance today', value: `${fmtNumber(pick(summary, 'distanceNm', 'distance_nm', 'distance'))} NM`, sub: 'gold' });
                tiles.push({ id: 'fuel', label: 'Fuel today', value: `${fmtNumber(pick(summary, 'fuelTonnes', 'fuel_t', 'fuelT', 'fuel'), 1)} t`, sub: 'gold' });
                tiles.push({ id: 'co2', label: 'CO2 today', value: `${fmtNumber(pick(summary, 'co2Tonnes', 'co2_t', 'co2T', 'co2'), 1)} t`, sub: 'gold' });
            } else {
                tiles.push(noData('distance', 'Distance today', '/api/fleet/summary'));
                tiles.push(noData('fuel', 'Fuel today', '/api/fleet/summary'));
                tiles.push(noData('co2', 'CO2 today', '/api/fleet/summary'));
            }
            const dist = ciiDistribution(cii);
            if (dist) {
                const total = Object.values(dist).reduce((a, b) => a + b, 0) || 1;
                const bars = ['A', 'B', 'C', 'D', 'E']
                    .map((r) => `<span class="cii-bar cii-${r}" style="flex:${(dist[r] ?? 0) / total}" title="${r}: ${dist[r] ?? 0}">${r} ${dist[r] ?? 0}</span>`)
                    .join('');
                tiles.push({ id: 'cii', label: `CII ratings ${date.slice(0, 4)}`, value: fmtNumber(total), sub: 'vessels rated', html: `<div class="cii-dist">${bars}</div>` });
            } else tiles.push(noData('cii', 'CII ratings', '/api/fleet/cii'));
            tiles.push(this.dataQuality(health, dq));
            this.render(tiles);
        } catch (error) {
            this.onError(error);
        }
    }

    private dataQuality(health: Health, dq: Record<string, unknown> | undefined): Tile {
        const fresh = Object.entries(health.layers)
            .map(([layer, h]) => `<span class="fresh" title="${esc(layer)}: age of the last batch written">${esc(layer)} ${h.ageSeconds !== undefined ? `${fmtNumber(h.ageSeconds)} s` : '-'}</span>`)
            .join('');
        const accepted = pick(dq, 'accepted');
        const quarantined = pick(dq, 'quarantined');
        const byReason = (dq?.quarantinedByReason ?? dq?.byReason) as Record<string, number> | undefined;
        const reasons = byReason
            ? Object.entries(byReason)
                  .sort((a, b) => b[1] - a[1])
                  .slice(0, 4)
                  .map(([r, n]) => `${esc(r)} ${fmtNumber(n)}`)
                  .join(', ')
            : '';
        const ratio = accepted !== undefined && quarantined !== undefined && accepted + quarantined > 0 ? (100 * accepted) / (accepted + quarantined) : undefined;
        return {
            id: 'data-quality',
            label: 'Data quality',
            value: ratio !== undefined ? `${fmtNumber(ratio, 1)} % accepted` : health.status,
            sub: dq ? reasons || 'gold dq' : 'accepted/quarantined by reason: no data yet (/api/dq); freshness:',
            html: `<div class="freshness">${fresh}</div>`,
        };
    }

    private render(tiles: Tile[]): void {
        this.root.innerHTML = tiles
            .map(
                (t) => `<div class="tile${t.noData ? ' no-data' : ''}" data-kpi="${esc(t.id)}"><div class="tile-label">${esc(t.label)}</div><div class="tile-value">${esc(t.value)}</div>${t.sub ? `<div class="tile-sub">${esc(t.sub)}</div>` : ''}${t.html ?? ''}</div>`,
            )
            .join('');
    }
}
