/**
 * The fleet page (`#/fleet`): data quality of a day (gold dq_daily from `/api/dq?date`: per layer and source) and the
 * fleet's CII ratings of a year (`/api/fleet/cii?year`: the distribution and the vessels rated, worst first).
 */
import {
    type CiiLetter,
    type DqPage,
    type DqRow,
    type FleetCii,
    getJson,
    getOptional,
    type VesselCii,
} from './api.js';
import { esc, fmtNumber, fmtTime } from './format.js';

export const CII_LETTERS: readonly CiiLetter[] = ['A', 'B', 'C', 'D', 'E'];

/** `quarantined_by_reason` is a JSON column: an object in Cosmos, a string if a writer stored it serialised. */
export function reasonsOf(row: DqRow): Record<string, number> {
    const r = row.quarantined_by_reason;
    if (r === null || r === undefined) return {};
    return typeof r === 'string' ? (JSON.parse(r) as Record<string, number>) : r;
}

/** What the ingest received, accepted and quarantined on the day over every source (bronze rows), reasons summed. */
export function ingestTotals(rows: readonly DqRow[]): {
    received: number;
    accepted: number;
    quarantined: number;
    duplicates: number;
    byReason: Record<string, number>;
} {
    const t = {
        received: 0,
        accepted: 0,
        quarantined: 0,
        duplicates: 0,
        byReason: {} as Record<string, number>,
    };
    for (const row of rows) {
        if (row.layer === 'bronze') {
            t.received += row.received ?? 0;
            t.accepted += row.accepted ?? 0;
            t.quarantined += row.quarantined ?? 0;
            t.duplicates += row.duplicates ?? 0;
        } else if (row.layer === 'quarantine') {
            for (const [reason, n] of Object.entries(reasonsOf(row)))
                t.byReason[reason] = (t.byReason[reason] ?? 0) + n;
        }
    }
    return t;
}

const LAYER_ORDER: Record<string, number> = { bronze: 0, quarantine: 1, silver: 2 };

function n(v: number | null | undefined, digits = 0): string {
    return v === null || v === undefined ? '' : fmtNumber(v, digits);
}

function freshness(seconds: number | null): string {
    if (seconds === null) return '';
    if (seconds < 120) return `${fmtNumber(seconds)} s`;
    if (seconds < 7200) return `${fmtNumber(seconds / 60)} min`;
    return `${fmtNumber(seconds / 3600, 1)} h`;
}

/** The dq panel: one row per layer and source, the columns that apply to it. */
export function dqTable(page: DqPage): string {
    if (page.items.length === 0)
        return `<p class="no-data">no data yet: the data quality of ${esc(page.date)} is built with the day's gold (buildGold)</p>`;
    const rows = [...page.items].sort(
        (a, b) => (LAYER_ORDER[a.layer] ?? 9) - (LAYER_ORDER[b.layer] ?? 9) || (a.source < b.source ? -1 : 1),
    );
    const body = rows
        .map((r) => {
            const reasons = Object.entries(reasonsOf(r))
                .sort((a, b) => b[1] - a[1])
                .map(([k, v]) => `<span class="reason">${esc(k)} ${fmtNumber(v)}</span>`)
                .join(' ');
            const counted =
                r.layer === 'silver' ? r.records : r.layer === 'bronze' ? r.received : r.quarantined;
            return `<tr data-layer="${esc(r.layer)}" data-source="${esc(r.source)}"><td>${esc(r.layer)}</td><td>${esc(r.source)}</td><td class="num" data-col="count">${n(counted)}</td><td class="num" data-col="accepted">${n(r.accepted)}</td><td class="num" data-col="quarantined">${r.layer === 'silver' ? '' : n(r.quarantined)}</td><td class="num" data-col="duplicates">${n(r.duplicates)}</td><td class="num">${n(r.late_arrivals)}</td><td>${reasons}</td><td title="newest ${esc(fmtTime(r.newest_time))}">${freshness(r.freshness_seconds)}</td></tr>`;
        })
        .join('');
    const t = ingestTotals(page.items);
    const summary =
        t.received > 0
            ? `<p class="dq-summary">received <b data-dq="received">${fmtNumber(t.received)}</b> = accepted <b data-dq="accepted">${fmtNumber(t.accepted)}</b> + quarantined <b data-dq="quarantined">${fmtNumber(t.quarantined)}</b> + duplicates <b>${fmtNumber(t.duplicates)}</b>${page.items[0]?.partial ? ' (the day so far)' : ''}; built ${esc(fmtTime(page.items[0]?.built_at))}</p>`
            : '';
    return `${summary}<table class="data dq"><thead><tr><th>layer</th><th>source</th><th title="bronze: items received; quarantine: items quarantined; silver: records of the day">items</th><th>accepted</th><th>quarantined</th><th>duplicates</th><th>late</th><th>quarantined by reason</th><th title="age of the newest record when the row was built">freshness</th></tr></thead><tbody>${body}</tbody></table>`;
}

function ratingBadge(letter: string | undefined, attr: string): string {
    return letter
        ? `<span class="cii-badge cii-${esc(letter)}" ${attr}>${esc(letter)}</span>`
        : '<span class="cii-badge none">-</span>';
}

/** The fleet CII panel: the distribution (year to date and projected), then the vessels, worst ratio first. */
export function fleetCiiHtml(cii: FleetCii, vessels: readonly VesselCii[]): string {
    const d = cii.distribution;
    const dist = (which: 'yearToDate' | 'projected'): string =>
        `<tr data-distribution="${which}"><th>${which === 'yearToDate' ? 'year to date' : 'projected'}</th>${CII_LETTERS.map((r) => `<td class="num" data-rating="${r}">${fmtNumber(d[which][r] ?? 0)}</td>`).join('')}</tr>`;
    const distribution = `<table class="data cii-distribution"><thead><tr><th>vessels</th>${CII_LETTERS.map((r) => `<th><span class="cii-badge cii-${r}">${r}</span></th>`).join('')}</tr></thead><tbody>${dist('yearToDate')}${dist('projected')}</tbody></table><p>not rated (type outside CII, or no distance yet): ${fmtNumber(d.notRated)} · rated as of ${esc(fmtTime(cii.asOf))}</p>`;
    const rated = vessels
        .filter((v) => v.yearToDate !== null)
        .sort((a, b) => (b.yearToDate?.ratio ?? 0) - (a.yearToDate?.ratio ?? 0));
    if (rated.length === 0) return `${distribution}<p class="no-data">no vessel rated yet</p>`;
    const rows = rated
        .slice(0, 200)
        .map(
            (v) =>
                `<tr data-mmsi="${v.mmsi}"><td><a href="dashboard#/vessel/${v.mmsi}">${v.mmsi}</a></td><td>${esc(v.ship.ciiShipType ?? '')}</td><td>${ratingBadge(v.yearToDate?.rating, 'data-cii="ytd"')}</td><td class="num">${fmtNumber(v.yearToDate?.attained, 2)}</td><td class="num">${fmtNumber(v.yearToDate?.required, 2)}</td><td class="num">${fmtNumber(v.yearToDate?.ratio, 3)}</td><td>${ratingBadge(v.projected?.rating, 'data-cii="projected"')}</td></tr>`,
        )
        .join('');
    return `${distribution}<table class="data cii-vessels"><thead><tr><th>MMSI</th><th>CII ship type</th><th>year to date</th><th>attained</th><th>required</th><th>attained / required</th><th>projected</th></tr></thead><tbody>${rows}</tbody></table>${rated.length > 200 ? `<p>first 200 of ${fmtNumber(rated.length)} rated vessels</p>` : ''}`;
}

function section(id: string, title: string, body: string): string {
    return `<section class="card" id="${id}"><h3>${title}</h3>${body}</section>`;
}

/** Renders the fleet page for a day (dq) and its year (CII). */
export async function renderFleetPage(root: HTMLElement, date: string): Promise<void> {
    const year = Number(date.slice(0, 4));
    const [dq, cii] = await Promise.all([
        getJson<DqPage>(`dq?date=${date}&limit=100`),
        getOptional<FleetCii>(`fleet/cii?year=${year}&limit=500`),
    ]);
    const vessels = [...(cii?.items ?? [])];
    for (let c = cii?.continuation; c !== undefined && vessels.length < 5000;) {
        const next = await getJson<FleetCii>(
            `fleet/cii?year=${year}&limit=500&continuation=${encodeURIComponent(c)}`,
        );
        vessels.push(...next.items);
        c = next.continuation;
    }
    root.innerHTML = `
<a href="dashboard#/" class="back">← map</a>
<h2>Fleet <small><label>day <input type="date" id="fleet-date" value="${esc(date)}"></label></small></h2>
<div class="grid">
${section('dq', `Data quality ${esc(date)}`, dqTable(dq))}
${section('fleet-cii', `CII ${year}`, cii ? fleetCiiHtml(cii, vessels) : `<p class="no-data">no data yet: the fleet has not been rated for ${year} (checkCompliance rates it once gold has days of the year)</p>`)}
</div>`;
    root.querySelector<HTMLInputElement>('#fleet-date')?.addEventListener('change', (event) => {
        const value = (event.target as HTMLInputElement).value;
        if (/^\d{4}-\d{2}-\d{2}$/.test(value)) location.hash = `#/fleet/${value}`;
    });
}
