/**
 * The vessel page: identity and latest state, speed over the last 24 hours from the track, daily distance and
 * fuel, emissions, port calls and voyages, CII year to date (gold and compliance endpoints of issues 11 and 12:
 * "no data yet" while they answer 404), equipment health (predictive maintenance), and one chart per sensor with
 * its anomalies and threshold crossings.
 */
import Chart from 'chart.js/auto';

import {
    type Alert,
    type EmissionsRow,
    getAllPages,
    getJson,
    getOptional,
    type GoldPage,
    type PortCallRow,
    type TrackPoint,
    type Vessel,
    type VesselCii,
    type VesselDailyRow,
    type VoyageRow,
} from './api.js';
import { ago, esc, fmtMinute, fmtNumber, SEVERITY_COLOURS } from './format.js';

interface Sensor {
    sensorId: string;
    quantity: string;
    unit: string;
    latest: { value: number; eventTime: number };
    stats: { n: number; mean: number; std: number };
}

interface EquipmentHealth {
    equipment_id: string;
    kind: string;
    health: number;
    probability: number;
    horizon_days: number;
    at_risk: boolean;
    contributions: { feature: string; logOdds: number }[];
}

const charts: Chart[] = [];

/** Equipment health of the latest scored day, riskiest first (GET /api/vessels/{mmsi}/equipment). */
function equipmentBody(
    page: { day: string | null; items: EquipmentHealth[] } | undefined,
    mmsi: number,
): string {
    if (!page) return noData(`/api/vessels/${mmsi}/equipment`);
    if (page.items.length === 0) return '<p>none: no equipment of this vessel scored in the last 7 days</p>';
    const rows = page.items
        .map((e) => {
            const colour = e.at_risk ? SEVERITY_COLOURS.warning : '#43a047';
            const features = e.contributions.map((c) => esc(c.feature)).join(', ') || '-';
            return `<tr class="equipment${e.at_risk ? ' at-risk' : ''}" data-equipment="${esc(e.equipment_id)}"><td title="${esc(e.kind)}">${esc(e.equipment_id)}</td><td><span class="health-bar" style="display:inline-block;width:${Math.max(2, Math.round(e.health / 2))}px;height:8px;background:${colour}"></span> ${esc(e.health)}</td><td>${fmtNumber(100 * e.probability, 1)} %${e.at_risk ? ' <b>at risk</b>' : ''}</td><td>${features}</td></tr>`;
        })
        .join('');
    const horizon = page.items[0]?.horizon_days ?? 7;
    return `<p>scored ${esc(page.day)}; probability of a failure within ${esc(horizon)} days (simulated-data model: see the README)</p><table class="data"><thead><tr><th>equipment</th><th>health</th><th>probability</th><th>top features</th></tr></thead><tbody>${rows}</tbody></table>`;
}

function timeAxis(): Record<string, unknown> {
    return {
        type: 'linear',
        ticks: {
            maxTicksLimit: 6,
            callback: (v: number | string) => new Date(Number(v)).toISOString().slice(11, 16),
        },
    };
}

function section(id: string, title: string, body: string): string {
    return `<section class="card" id="${id}"><h3>${esc(title)}</h3>${body}</section>`;
}

function noData(endpoint: string): string {
    return `<p class="no-data">no data yet (${esc(endpoint)} not available)</p>`;
}

/** A table of gold rows: each column a header and a cell renderer (text, already escaped). */
function table<Row>(
    rows: readonly Row[],
    columns: [string, (r: Row) => string][],
    rowAttr: (r: Row) => string = () => '',
): string {
    return `<table class="data"><thead><tr>${columns.map(([h]) => `<th>${esc(h)}</th>`).join('')}</tr></thead><tbody>${rows
        .slice(0, 50)
        .map((r) => `<tr${rowAttr(r)}>${columns.map(([, cell]) => `<td>${cell(r)}</td>`).join('')}</tr>`)
        .join('')}</tbody></table>`;
}

/** The newest rows first (gold pages come oldest day first). */
function newestFirst<Row extends { date: string }>(rows: readonly Row[], time: (r: Row) => unknown): Row[] {
    const ms = (v: unknown): number =>
        typeof v === 'number' ? v : typeof v === 'string' ? Date.parse(v) : 0;
    return [...rows].sort((a, b) =>
        a.date === b.date ? ms(time(b)) - ms(time(a)) : a.date < b.date ? 1 : -1,
    );
}

const port = (locode: string | null, name?: string | null): string =>
    locode ? `<span title="${esc(name ?? '')}">${esc(locode)}</span>${name ? ` ${esc(name)}` : ''}` : '-';

/** Port calls that ended in the range, newest first: port, arrival and departure (UTC), hours in port and at anchor before. */
export function portCallsTable(rows: readonly PortCallRow[]): string {
    return table(
        newestFirst(rows, (r) => r.arrival),
        [
            ['port', (r) => port(r.locode, r.port_name)],
            ['arrival (UTC)', (r) => fmtMinute(r.arrival)],
            ['departure (UTC)', (r) => fmtMinute(r.departure)],
            ['hours in port', (r) => fmtNumber(r.hours_in_port, 1)],
            ['anchor h before', (r) => fmtNumber(r.anchor_hours_before, 1)],
        ],
        (r) => ` data-locode="${esc(r.locode)}"`,
    );
}

/** Voyages that arrived in the range, newest first. */
export function voyagesTable(rows: readonly VoyageRow[]): string {
    return table(
        newestFirst(rows, (r) => r.arrival),
        [
            ['from', (r) => port(r.from_locode)],
            ['to', (r) => port(r.to_locode)],
            ['departure (UTC)', (r) => fmtMinute(r.departure)],
            ['arrival (UTC)', (r) => fmtMinute(r.arrival)],
            ['hours', (r) => fmtNumber(r.duration_hours, 1)],
            ['NM', (r) => fmtNumber(r.distance_nm, 1)],
            ['ETA error h', (r) => fmtNumber(r.eta_error_hours, 1)],
        ],
        (r) => ` data-to="${esc(r.to_locode ?? '')}"`,
    );
}

/** CII of the year from gold: the year-to-date and projected ratings with their figures, or why the vessel is not rated. */
export function ciiHtml(cii: VesselCii): string {
    if (!cii.applicable || cii.yearToDate === null)
        return `<p class="no-data" data-cii="not-rated">not rated: ${esc(cii.reason ?? 'no rating yet')}</p>`;
    const y = cii.yearToDate;
    const p = cii.projected;
    const ytd = cii.inputs.yearToDate;
    return `<p><span class="cii-rating cii-${esc(y.rating)}" data-cii="ytd" title="year to date">${esc(y.rating)}</span> <span class="cii-projected">projected <span class="cii-badge cii-${esc(p?.rating ?? 'none')}" data-cii="projected">${esc(p?.rating ?? '-')}</span></span></p>
<table class="data"><tbody>
<tr><th>attained (year to date)</th><td data-cii="attained">${fmtNumber(y.attained, 2)}</td><th>required</th><td data-cii="required">${fmtNumber(y.required, 2)}</td></tr>
<tr><th>attained / required</th><td>${fmtNumber(y.ratio, 3)}</td><th>projected attained</th><td>${fmtNumber(p?.attained, 2)}</td></tr>
<tr><th>CII ship type</th><td>${esc(cii.ship.ciiShipType ?? '-')}</td><th>capacity</th><td>${esc(cii.ship.capacityUnit ?? '')} ${fmtNumber(cii.ship.capacityUnit === 'GT' ? cii.ship.gt : cii.ship.dwt)} (${esc(cii.ship.capacitySource ?? '-')})</td></tr>
<tr><th>days with data</th><td>${fmtNumber(ytd?.daysWithData)} of ${fmtNumber(ytd?.days)}</td><th>distance</th><td>${fmtNumber(ytd?.distanceNm)} NM</td></tr>
</tbody></table>
<p class="muted">g CO2 per capacity-nm, as of ${esc(cii.asOf.replace('T', ' ').slice(0, 16))}Z${cii.complete ? ' (final)' : ''}</p>`;
}

function lineChart(
    canvas: HTMLCanvasElement,
    datasets: Record<string, unknown>[],
    yTitle: string,
    timeX = true,
): void {
    charts.push(
        new Chart(canvas, {
            type: 'line',
            data: { datasets: datasets as never },
            options: {
                animation: false,
                responsive: true,
                maintainAspectRatio: false,
                parsing: false,
                normalized: true,
                scales: {
                    x: timeX ? timeAxis() : { type: 'category' },
                    y: { title: { display: true, text: yTitle } },
                },
                plugins: { legend: { display: datasets.length > 1 } },
            },
        }),
    );
}

export function destroyVesselPage(): void {
    for (const c of charts.splice(0)) c.destroy();
}

export async function renderVesselPage(root: HTMLElement, mmsi: number): Promise<void> {
    destroyVesselPage();
    root.innerHTML = `<p class="loading">loading vessel ${mmsi}...</p>`;
    const now = Date.now();
    const year = new Date(now).getUTCFullYear();
    const from = new Date(now - 30 * 86_400_000).toISOString().slice(0, 10);
    const to = new Date(now).toISOString().slice(0, 10);
    const range = `from=${from}&to=${to}&limit=1000`;
    const [vessel, track, sensors, alerts, daily, emissions, portCalls, voyages, cii, equipment] =
        await Promise.all([
            getJson<Vessel>(`vessels/${mmsi}`),
            getJson<{ points: TrackPoint[] }>(`vessels/${mmsi}/track?from=${now - 24 * 3_600_000}&to=${now}`),
            getJson<{ sensors: Sensor[] }>(`vessels/${mmsi}/sensors`),
            getAllPages<Alert>(`alerts?mmsi=${mmsi}&limit=500`, 2000),
            getOptional<GoldPage<VesselDailyRow>>(`vessels/${mmsi}/daily?${range}`),
            getOptional<GoldPage<EmissionsRow>>(`vessels/${mmsi}/emissions?${range}`),
            getOptional<GoldPage<PortCallRow>>(`vessels/${mmsi}/port-calls?${range}`),
            getOptional<GoldPage<VoyageRow>>(`vessels/${mmsi}/voyages?${range}`),
            getOptional<VesselCii>(`vessels/${mmsi}/cii?year=${year}`),
            getOptional<{ day: string | null; items: EquipmentHealth[] }>(`vessels/${mmsi}/equipment`),
        ]);
    const s = vessel.static ?? {};
    const dailyRows = daily?.items ?? [];
    const emissionRows = emissions?.items ?? [];
    const sensorAlerts = alerts.filter((a) => a.kind === 'sensor-anomaly' || a.kind === 'sensor-threshold');
    const days = [...new Set([...dailyRows, ...emissionRows].map((r) => r.date))].sort();
    const latestDay = days.at(-1);
    const dailyOf = (d: string | undefined): VesselDailyRow | undefined =>
        dailyRows.find((r) => r.date === d);
    const emissionsOf = (d: string | undefined): EmissionsRow | undefined =>
        emissionRows.find((r) => r.date === d);
    const partial = (r: { partial: boolean } | undefined): string => (r?.partial ? ' (so far)' : '');
    const noRows = (what: string): string =>
        `<p class="no-data">no data yet: no gold ${what} of this vessel from ${from} to ${to} (built by the buildGold timer)</p>`;
    const gold = <T>(
        page: GoldPage<T> | undefined,
        endpoint: string,
        what: string,
        body: (rows: T[]) => string,
    ): string =>
        page === undefined ? noData(endpoint) : page.items.length === 0 ? noRows(what) : body(page.items);

    const dailyBody =
        days.length === 0
            ? daily === undefined && emissions === undefined
                ? noData(`/api/vessels/${mmsi}/daily`)
                : noRows('daily rows')
            : `<div class="chart"><canvas id="chart-daily"></canvas></div><p class="chart-caption" data-day="${esc(latestDay)}">${esc(latestDay)}${partial(dailyOf(latestDay))}: <b data-value="distance_nm">${fmtNumber(dailyOf(latestDay)?.distance_nm, 2)}</b> NM, <b data-value="fuel_total_t">${fmtNumber(emissionsOf(latestDay)?.fuel_total_t, 2)}</b> t fuel</p>`;
    const emissionsBody = gold(emissions, `/api/vessels/${mmsi}/emissions`, 'emissions', (rows) => {
        const last = rows.reduce((a, b) => (b.date > a.date ? b : a));
        return `<div class="chart"><canvas id="chart-emissions"></canvas></div><p class="chart-caption" data-day="${esc(last.date)}">${esc(last.date)}${partial(last)}: CO2 <b data-value="co2_t">${fmtNumber(last.co2_t, 2)}</b> t, SOx <b data-value="sox_t">${fmtNumber(last.sox_t, 3)}</b> t, NOx <b data-value="nox_t">${fmtNumber(last.nox_t, 3)}</b> t</p>`;
    });

    root.innerHTML = `
<a href="dashboard#/" class="back">← map</a>
<h2 class="vessel-title">${esc(s.name ?? `MMSI ${mmsi}`)} <small>MMSI ${mmsi}${s.imo ? ` · IMO ${s.imo}` : ''}${vessel.flag ? ` · ${esc(vessel.flag)}` : ''} · ${esc(s.shipTypeText ?? s.shipCategory ?? 'type unknown')}</small></h2>
<p class="vessel-sub">${vessel.position ? `${fmtNumber(vessel.position.sog, 1)} kn, course ${fmtNumber(vessel.position.cog)}°, ${esc(vessel.position.navStatusText ?? '')}` : 'no position'} · destination ${esc(s.destination ?? '-')} · last seen ${esc(ago(vessel.lastSeen))}</p>
<div class="grid">
${section('speed', 'Speed over ground, last 24 h', track.points.length > 0 ? '<div class="chart"><canvas id="chart-speed"></canvas></div>' : '<p class="no-data">no fixes in the last 24 h</p>')}
${section('daily', 'Daily distance and fuel', dailyBody)}
${section('emissions', 'Emissions per day', emissionsBody)}
${section('cii', `CII ${year}`, cii ? ciiHtml(cii) : noData(`/api/vessels/${mmsi}/cii`))}
${section('equipment', 'Equipment health', equipmentBody(equipment, mmsi))}
${section('port-calls', 'Port calls', gold(portCalls, `/api/vessels/${mmsi}/port-calls`, 'port calls', portCallsTable))}
${section('voyages', 'Voyages', gold(voyages, `/api/vessels/${mmsi}/voyages`, 'voyages', voyagesTable))}
</div>
<h3>Sensors</h3>
<div class="grid sensors">${
        sensors.sensors.length === 0
            ? '<p class="no-data">no sensor readings for this vessel</p>'
            : sensors.sensors
                  .map(
                      (x, i) =>
                          `<section class="card sensor"><h4>${esc(x.quantity)} <small>${esc(x.sensorId)} · ${esc(x.unit)} · latest ${fmtNumber(x.latest.value, 2)} (${esc(ago(x.latest.eventTime))}) · mean ${fmtNumber(x.stats.mean, 2)} ± ${fmtNumber(x.stats.std, 2)} over ${fmtNumber(x.stats.n)} readings</small></h4><div class="chart"><canvas id="chart-sensor-${i}"></canvas></div></section>`,
                  )
                  .join('')
    }</div>`;

    if (track.points.length > 0) {
        lineChart(
            root.querySelector<HTMLCanvasElement>('#chart-speed')!,
            [
                {
                    label: 'SOG (kn)',
                    data: track.points.map((p) => ({ x: p.t, y: p.sog ?? null })),
                    borderColor: '#1565c0',
                    pointRadius: 0,
                    borderWidth: 1.5,
                },
            ],
            'knots',
        );
    }
    if (days.length > 0) {
        charts.push(
            new Chart(root.querySelector<HTMLCanvasElement>('#chart-daily')!, {
                type: 'bar',
                data: {
                    labels: days,
                    datasets: [
                        {
                            label: 'distance (NM)',
                            data: days.map((d) => dailyOf(d)?.distance_nm ?? null),
                            backgroundColor: '#42a5f5',
                            yAxisID: 'y',
                        },
                        {
                            label: 'fuel (t)',
                            data: days.map((d) => emissionsOf(d)?.fuel_total_t ?? null),
                            backgroundColor: '#ffa726',
                            yAxisID: 'y1',
                        },
                    ],
                },
                options: {
                    animation: false,
                    maintainAspectRatio: false,
                    scales: {
                        y: { position: 'left' },
                        y1: { position: 'right', grid: { drawOnChartArea: false } },
                    },
                },
            }),
        );
    }
    if (emissionRows.length > 0) {
        const rows = [...emissionRows].sort((a, b) => (a.date < b.date ? -1 : 1));
        const series = (
            label: string,
            colour: string,
            value: (r: EmissionsRow) => number | null,
        ): Record<string, unknown> => ({ label, data: rows.map(value), backgroundColor: colour });
        charts.push(
            new Chart(root.querySelector<HTMLCanvasElement>('#chart-emissions')!, {
                type: 'bar',
                data: {
                    labels: rows.map((r) => r.date),
                    datasets: [
                        series('CO2 (t)', '#616161', (r) => r.co2_t),
                        series('SOx (t)', '#fdd835', (r) => r.sox_t),
                        series('NOx (t)', '#8d6e63', (r) => r.nox_t),
                    ] as never,
                },
                options: { animation: false, maintainAspectRatio: false },
            }),
        );
    }
    sensors.sensors.forEach((x, i) => {
        const mine = sensorAlerts.filter(
            (a) => a.details.sensorId === x.sensorId && a.details.quantity === x.quantity,
        );
        const times = [...mine.map((a) => a.time), x.latest.eventTime];
        const t0 = Math.min(...times, x.latest.eventTime - 3_600_000);
        const t1 = Math.max(...times);
        const band = (k: number): Record<string, unknown>[] => [
            { x: t0, y: x.stats.mean + k * x.stats.std },
            { x: t1, y: x.stats.mean + k * x.stats.std },
        ];
        lineChart(
            root.querySelector<HTMLCanvasElement>(`#chart-sensor-${i}`)!,
            [
                { label: 'mean', data: band(0), borderColor: '#90a4ae', pointRadius: 0, borderWidth: 1 },
                {
                    label: '+3σ',
                    data: band(3),
                    borderColor: '#cfd8dc',
                    borderDash: [4, 4],
                    pointRadius: 0,
                    borderWidth: 1,
                    fill: '+1',
                },
                {
                    label: '-3σ',
                    data: band(-3),
                    borderColor: '#cfd8dc',
                    borderDash: [4, 4],
                    pointRadius: 0,
                    borderWidth: 1,
                },
                {
                    label: 'anomalies',
                    data: mine
                        .filter((a) => a.kind === 'sensor-anomaly')
                        .map((a) => ({ x: a.time, y: a.details.value })),
                    showLine: false,
                    pointRadius: 5,
                    pointStyle: 'triangle',
                    backgroundColor: SEVERITY_COLOURS.warning,
                    borderColor: SEVERITY_COLOURS.warning,
                },
                {
                    label: 'threshold',
                    data: mine
                        .filter((a) => a.kind === 'sensor-threshold')
                        .map((a) => ({ x: a.time, y: a.details.value })),
                    showLine: false,
                    pointRadius: 5,
                    pointStyle: 'rectRot',
                    backgroundColor: SEVERITY_COLOURS.critical,
                    borderColor: SEVERITY_COLOURS.critical,
                },
                {
                    label: 'latest',
                    data: [{ x: x.latest.eventTime, y: x.latest.value }],
                    showLine: false,
                    pointRadius: 5,
                    backgroundColor: '#1565c0',
                    borderColor: '#1565c0',
                },
            ],
            x.unit,
        );
    });
}
