/**
 * The vessel page: identity and latest state, speed over the last 24 hours from the track, daily distance and
 * fuel, emissions, port calls and voyages, CII year to date (gold and compliance endpoints of issues 11 and 12:
 * "no data yet" while they answer 404), equipment health (predictive maintenance), and one chart per sensor with
 * its anomalies and threshold crossings.
 */
import Chart from 'chart.js/auto';

import { type Alert, getAllPages, getJson, getOptional, type TrackPoint, type Vessel } from './api.js';
import { ago, esc, fmtNumber, fmtTime, pick, SEVERITY_COLOURS, text } from './format.js';

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
function equipmentBody(page: { day: string | null; items: EquipmentHealth[] } | undefined, mmsi: number): string {
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
        ticks: { maxTicksLimit: 6, callback: (v: number | string) => new Date(Number(v)).toISOString().slice(11, 16) },
    };
}

function section(id: string, title: string, body: string): string {
    return `<section class="card" id="${id}"><h3>${esc(title)}</h3>${body}</section>`;
}

function noData(endpoint: string): string {
    return `<p class="no-data">no data yet (${esc(endpoint)} not available)</p>`;
}

function rowsOf(body: unknown): Record<string, unknown>[] | undefined {
    if (Array.isArray(body)) return body as Record<string, unknown>[];
    if (body && typeof body === 'object') {
        const o = body as Record<string, unknown>;
        for (const k of ['items', 'days', 'rows', 'calls', 'voyages']) if (Array.isArray(o[k])) return o[k] as Record<string, unknown>[];
    }
    return undefined;
}

function dayOf(r: Record<string, unknown>): string {
    return text(r.date ?? r.day).slice(0, 10);
}

function table(rows: Record<string, unknown>[], columns: [string, string[]][]): string {
    const cell = (r: Record<string, unknown>, names: string[]): string => {
        for (const n of names) {
            const v = r[n];
            if (v === undefined || v === null) continue;
            if (typeof v === 'number') return n.toLowerCase().includes('time') || n.endsWith('At') ? fmtTime(v) : fmtNumber(v, 1);
            return esc(v);
        }
        return '-';
    };
    return `<table class="data"><thead><tr>${columns.map(([h]) => `<th>${esc(h)}</th>`).join('')}</tr></thead><tbody>${rows
        .slice(0, 50)
        .map((r) => `<tr>${columns.map(([, names]) => `<td>${cell(r, names)}</td>`).join('')}</tr>`)
        .join('')}</tbody></table>`;
}

function lineChart(canvas: HTMLCanvasElement, datasets: Record<string, unknown>[], yTitle: string, timeX = true): void {
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
                scales: { x: timeX ? timeAxis() : { type: 'category' }, y: { title: { display: true, text: yTitle } } },
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
    const [vessel, track, sensors, alerts, daily, emissions, portCalls, voyages, cii, equipment] = await Promise.all([
        getJson<Vessel>(`vessels/${mmsi}`),
        getJson<{ points: TrackPoint[] }>(`vessels/${mmsi}/track?from=${now - 24 * 3_600_000}&to=${now}`),
        getJson<{ sensors: Sensor[] }>(`vessels/${mmsi}/sensors`),
        getAllPages<Alert>(`alerts?mmsi=${mmsi}&limit=500`, 2000),
        getOptional<unknown>(`vessels/${mmsi}/daily?from=${from}&to=${to}`),
        getOptional<unknown>(`vessels/${mmsi}/emissions?from=${from}&to=${to}`),
        getOptional<unknown>(`vessels/${mmsi}/port-calls`),
        getOptional<unknown>(`vessels/${mmsi}/voyages`),
        getOptional<unknown>(`vessels/${mmsi}/cii?year=${year}`),
        getOptional<{ day: string | null; items: EquipmentHealth[] }>(`vessels/${mmsi}/equipment`),
    ]);
    const s = vessel.static ?? {};
    const dailyRows = rowsOf(daily);
    const emissionRows = rowsOf(emissions);
    const callRows = rowsOf(portCalls);
    const voyageRows = rowsOf(voyages);
    const sensorAlerts = alerts.filter((a) => a.kind === 'sensor-anomaly' || a.kind === 'sensor-threshold');

    const ciiBody = cii
        ? (() => {
              const rating = (cii as Record<string, unknown>).rating ?? (cii as Record<string, unknown>).ratingYtd;
              return `<p class="cii-rating cii-${esc(rating)}">${esc(rating ?? '?')}</p><p>attained ${fmtNumber(pick(cii, 'attained', 'attainedYtd'), 2)}, required ${fmtNumber(pick(cii, 'required'), 2)}, projected ${esc((cii as Record<string, unknown>).projectedRating ?? '-')}</p>`;
          })()
        : noData(`/api/vessels/${mmsi}/cii`);

    root.innerHTML = `
<a href="dashboard#/" class="back">← map</a>
<h2 class="vessel-title">${esc(s.name ?? `MMSI ${mmsi}`)} <small>MMSI ${mmsi}${s.imo ? ` · IMO ${s.imo}` : ''}${vessel.flag ? ` · ${esc(vessel.flag)}` : ''} · ${esc(s.shipTypeText ?? s.shipCategory ?? 'type unknown')}</small></h2>
<p class="vessel-sub">${vessel.position ? `${fmtNumber(vessel.position.sog, 1)} kn, course ${fmtNumber(vessel.position.cog)}°, ${esc(vessel.position.navStatusText ?? '')}` : 'no position'} · destination ${esc(s.destination ?? '-')} · last seen ${esc(ago(vessel.lastSeen))}</p>
<div class="grid">
${section('speed', 'Speed over ground, last 24 h', track.points.length > 0 ? '<div class="chart"><canvas id="chart-speed"></canvas></div>' : '<p class="no-data">no fixes in the last 24 h</p>')}
${section('daily', 'Daily distance and fuel', dailyRows || emissionRows ? '<div class="chart"><canvas id="chart-daily"></canvas></div>' : noData(`/api/vessels/${mmsi}/daily`))}
${section('emissions', 'Emissions per day', emissionRows ? '<div class="chart"><canvas id="chart-emissions"></canvas></div>' : noData(`/api/vessels/${mmsi}/emissions`))}
${section('cii', `CII ${year} year to date`, ciiBody)}
${section('equipment', 'Equipment health', equipmentBody(equipment, mmsi))}
${section('port-calls', 'Port calls', callRows ? (callRows.length ? table(callRows, [['port', ['locode', 'port', 'portName']], ['arrival', ['arrival', 'arrivalTime', 'arrivedAt']], ['departure', ['departure', 'departureTime', 'departedAt']], ['waiting h', ['waitingHours', 'anchorHours']]]) : '<p>none</p>') : noData(`/api/vessels/${mmsi}/port-calls`))}
${section('voyages', 'Voyages', voyageRows ? (voyageRows.length ? table(voyageRows, [['from', ['fromPort', 'from', 'departurePort']], ['to', ['toPort', 'to', 'arrivalPort']], ['departure', ['departure', 'departureTime']], ['arrival', ['arrival', 'arrivalTime']], ['NM', ['distanceNm', 'distance']], ['ETA error h', ['etaErrorHours']]]) : '<p>none</p>') : noData(`/api/vessels/${mmsi}/voyages`))}
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
        lineChart(root.querySelector<HTMLCanvasElement>('#chart-speed')!, [
            { label: 'SOG (kn)', data: track.points.map((p) => ({ x: p.t, y: p.sog ?? null })), borderColor: '#1565c0', pointRadius: 0, borderWidth: 1.5 },
        ], 'knots');
    }
    if (dailyRows || emissionRows) {
        const days = [...new Set([...(dailyRows ?? []), ...(emissionRows ?? [])].map(dayOf))].sort();
        const byDay = (rows: Record<string, unknown>[] | undefined, ...names: string[]): (number | null)[] =>
            days.map((d) => pick(rows?.find((r) => dayOf(r) === d), ...names) ?? null);
        charts.push(
            new Chart(root.querySelector<HTMLCanvasElement>('#chart-daily')!, {
                type: 'bar',
                data: {
                    labels: days,
                    datasets: [
                        { label: 'distance (NM)', data: byDay(dailyRows, 'distanceNm', 'distance_nm'), backgroundColor: '#42a5f5', yAxisID: 'y' },
                        { label: 'fuel (t)', data: byDay(emissionRows ?? dailyRows, 'fuelTonnes', 'fuel_t', 'fuelT', 'fuelTotalT'), backgroundColor: '#ffa726', yAxisID: 'y1' },
                    ],
                },
                options: { animation: false, maintainAspectRatio: false, scales: { y: { position: 'left' }, y1: { position: 'right', grid: { drawOnChartArea: false } } } },
            }),
        );
    }
    if (emissionRows) {
        const days = emissionRows.map(dayOf);
        const series = (label: string, colour: string, ...names: string[]): Record<string, unknown> => ({ label, data: emissionRows.map((r) => pick(r, ...names) ?? null), backgroundColor: colour });
        charts.push(
            new Chart(root.querySelector<HTMLCanvasElement>('#chart-emissions')!, {
                type: 'bar',
                data: {
                    labels: days,
                    datasets: [series('CO2 (t)', '#616161', 'co2Tonnes', 'co2_t', 'co2T'), series('SOx (t)', '#fdd835', 'soxTonnes', 'sox_t', 'soxT'), series('NOx (t)', '#8d6e63', 'noxTonnes', 'nox_t', 'noxT')] as never,
                },
                options: { animation: false, maintainAspectRatio: false },
            }),
        );
    }
    sensors.sensors.forEach((x, i) => {
        const mine = sensorAlerts.filter((a) => a.details.sensorId === x.sensorId && a.details.quantity === x.quantity);
        const times = [...mine.map((a) => a.time), x.latest.eventTime];
        const t0 = Math.min(...times, x.latest.eventTime - 3_600_000);
        const t1 = Math.max(...times);
        const band = (k: number): Record<string, unknown>[] => [{ x: t0, y: x.stats.mean + k * x.stats.std }, { x: t1, y: x.stats.mean + k * x.stats.std }];
        lineChart(root.querySelector<HTMLCanvasElement>(`#chart-sensor-${i}`)!, [
            { label: 'mean', data: band(0), borderColor: '#90a4ae', pointRadius: 0, borderWidth: 1 },
            { label: '+3σ', data: band(3), borderColor: '#cfd8dc', borderDash: [4, 4], pointRadius: 0, borderWidth: 1, fill: '+1' },
            { label: '-3σ', data: band(-3), borderColor: '#cfd8dc', borderDash: [4, 4], pointRadius: 0, borderWidth: 1 },
            { label: 'anomalies', data: mine.filter((a) => a.kind === 'sensor-anomaly').map((a) => ({ x: a.time, y: a.details.value })), showLine: false, pointRadius: 5, pointStyle: 'triangle', backgroundColor: SEVERITY_COLOURS.warning, borderColor: SEVERITY_COLOURS.warning },
            { label: 'threshold', data: mine.filter((a) => a.kind === 'sensor-threshold').map((a) => ({ x: a.time, y: a.details.value })), showLine: false, pointRadius: 5, pointStyle: 'rectRot', backgroundColor: SEVERITY_COLOURS.critical, borderColor: SEVERITY_COLOURS.critical },
            { label: 'latest', data: [{ x: x.latest.eventTime, y: x.latest.value }], showLine: false, pointRadius: 5, backgroundColor: '#1565c0', borderColor: '#1565c0' },
        ], x.unit);
    });
}
