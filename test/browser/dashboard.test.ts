/**
 * The dashboard in a real browser: Debian's Chromium driven by playwright-core against the stack `npm start` runs
 * (embedded services, local trigger host, traffic and sensor simulators) on free ports. Screenshots go to
 * test-artifacts/. No browser is a failure with instructions, never a skip: `.ci/run` installs it.
 *
 * Gold is real: once the simulator has ingested for a while, the test fires the app's own `buildGold` and
 * `checkCompliance` timer handlers (their schedules are moved out of the way so they do not fire by themselves),
 * so every gold endpoint the panels read has data. Port calls and voyages need hours of sailing between ports,
 * so those rows are seeded through the gold store. Each panel must then show the number its endpoint serves: a
 * panel that stays empty, or reads the wrong field, fails the test.
 *
 * Every wait is on a condition (polled, or Playwright's own waits), never a fixed sleep: the machine is shared.
 */
import { existsSync, mkdirSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

import { afterAll, beforeAll, describe, expect, it, jest } from '@jest/globals';
import { type BrowserContext, chromium, type Page } from 'playwright-core';

import { buildGold } from '../../functions/buildGold.js';
import { checkCompliance } from '../../functions/checkCompliance.js';
import { type SimulatedStack, startSimulatedStack } from '../../local/simulatedStack.js';
import { writeGoldTable } from '../../shared/app/gold/goldOutput.js';
import { PORT_CALLS_SPEC, VOYAGES_SPEC } from '../../shared/app/gold/goldTables.js';
import { addDays, dayStart } from '../../shared/app/gold/window.js';
import { EQUIPMENT_HEALTH_SPEC } from '../../shared/app/maintenance/scoreMaintenance.js';
import { fireTimer, TIMERS_OFF } from '../helpers/timers.js';

const CHROMIUM = process.env.CHROMIUM_PATH ?? '/usr/bin/chromium';
const ARTIFACTS = join(process.cwd(), 'test-artifacts');

let sim: SimulatedStack;
let context: BrowserContext;
let page: Page;
let profile: string;
const pageErrors: string[] = [];
const today = new Date().toISOString().slice(0, 10);
const year = Number(today.slice(0, 4));

async function until<T>(what: string, probe: () => Promise<T | undefined>, timeoutMs = 30_000): Promise<T> {
    const deadline = Date.now() + timeoutMs;
    let last: unknown;
    for (;;) {
        const value = await probe().catch((error: unknown) => {
            last = error;
            return undefined;
        });
        if (value !== undefined) return value;
        if (Date.now() > deadline)
            throw new Error(
                `timed out after ${timeoutMs} ms waiting for ${what}${last instanceof Error ? ` (last error: ${last.message})` : ''}`,
            );
        await new Promise((r) => setTimeout(r, 250));
    }
}

async function api<T>(path: string): Promise<T> {
    const res = await fetch(`${sim.baseUrl}/${path}`);
    if (!res.ok) throw new Error(`${path}: ${res.status}`);
    return (await res.json()) as T;
}

/**
 * The number a page shows (thousands separators and units dropped) equals the API's value at the page's rounding:
 * `digits` decimals, so |shown - value| <= half a unit of the last digit.
 */
function expectShown(text: string | null | undefined, value: number, digits: number): void {
    const match = /-?[\d,]+(?:\.\d+)?/.exec(text ?? '');
    if (!match) throw new Error(`no number in '${text ?? ''}' (expected ${value})`);
    const shown = Number(match[0].replace(/,/g, ''));
    expect({ text, diff: Math.abs(shown - value) <= 0.5 * 10 ** -digits + 1e-9 }).toEqual({
        text,
        diff: true,
    });
}

/** Opens a vessel page and waits until it is rendered for that vessel (a hash change re-renders the same view). */
async function openVesselPage(mmsi: number): Promise<void> {
    const url = `${sim.baseUrl}/dashboard#/vessel/${mmsi}`;
    // The same hash again changes nothing: reload to render it anew.
    if (page.url() === url) await page.reload();
    else await page.goto(url);
    await until(`the vessel page of ${mmsi}`, async () =>
        (await page.getAttribute('#view-vessel', 'data-ready')) === 'true' &&
        ((await page.textContent('.vessel-title')) ?? '').includes(`MMSI ${mmsi}`)
            ? true
            : undefined,
    );
}

/** The little of a DOM element the page callbacks read (this tsconfig has no DOM types). */
type Item = { textContent: string | null; getAttribute(name: string): string | null };
const texts = (els: unknown[]): (string | null)[] => (els as Item[]).map((e) => e.textContent);

/** True when a canvas has something drawn on it (not all transparent). */
function drawn(selector: string): Promise<boolean> {
    // Runs in the page (the test's own tsconfig has no DOM types).
    type Canvas = {
        width: number;
        height: number;
        getContext(
            kind: '2d',
        ): { getImageData(x: number, y: number, w: number, h: number): { data: ArrayLike<number> } } | null;
    };
    return page.$eval(selector, (el) => {
        const c = el as unknown as Canvas;
        const data = c.getContext('2d')?.getImageData(0, 0, c.width, c.height).data;
        if (!data) return false;
        let painted = 0;
        for (let i = 3; i < data.length; i += 4) if ((data[i] ?? 0) > 0) painted++;
        return painted > 200;
    });
}

interface FleetSummary {
    vessels: number;
    distance_nm: number;
    fuel_t: number;
    co2_t: number;
}
interface DqRow {
    layer: string;
    source: string;
    received: number | null;
    accepted: number | null;
    quarantined: number | null;
    records: number | null;
}
type Letter = 'A' | 'B' | 'C' | 'D' | 'E';
interface CiiRating {
    attained: number;
    required: number;
    rating: Letter;
}
interface VesselCii {
    mmsi: number;
    applicable: boolean;
    yearToDate: CiiRating | null;
    projected: CiiRating | null;
}
interface FleetCii {
    distribution: { yearToDate: Record<Letter, number>; projected: Record<Letter, number>; notRated: number };
    items: VesselCii[];
}

/** The CII-rated vessel the vessel-page checks use (the gold build and the compliance timer rated it). */
let rated: VesselCii;
/** Port calls and voyages seeded for it (yesterday): what its page must list. */
const yesterday = addDays(today, -1);
const seededCall = {
    locode: 'NLRTM',
    port_name: 'Rotterdam',
    arrival: dayStart(yesterday) + 3 * 3_600_000 + 15 * 60_000,
    departure: dayStart(yesterday) + 20 * 3_600_000 + 45 * 60_000,
    hours_in_port: 17.5,
    anchor_hours_before: 6.2,
};
const seededVoyage = {
    from_locode: 'DEHAM',
    to_locode: 'NLRTM',
    departure: dayStart(addDays(today, -2)) + 9 * 3_600_000,
    arrival: seededCall.arrival,
    duration_hours: 18.4,
    distance_nm: 304.6,
};

beforeAll(async () => {
    if (!existsSync(CHROMIUM)) {
        throw new Error(
            `Chromium not found at ${CHROMIUM}. The browser test needs Debian's chromium: 'apt-get update && apt-get install -y chromium' ` +
                '(.ci/run does this), or set CHROMIUM_PATH to a Chromium executable.',
        );
    }
    mkdirSync(ARTIFACTS, { recursive: true });
    // Modest rates: the page's reads share the machine with the ingest. The gold and compliance timers fire only
    // when the test fires them, over today only.
    sim = await startSimulatedStack({
        rate: 100,
        vessels: 60,
        sensorRate: 30,
        batchWindowMs: 1000,
        settings: {
            ...TIMERS_OFF,
            GOLD_LATE_HORIZON_DAYS: '0',
            COMPLIANCE_HORIZON_DAYS: '0',
        },
    });
    profile = mkdtempSync(join(tmpdir(), 'dashboard-chromium-'));
    context = await chromium.launchPersistentContext(profile, {
        executablePath: CHROMIUM,
        headless: true,
        viewport: { width: 1400, height: 860 },
        args: [
            '--headless',
            '--no-sandbox',
            '--disable-gpu',
            '--disable-quic',
            '--no-first-run',
            '--disable-background-networking',
            '--disable-component-update',
            '--disable-sync',
        ],
    });
    page = await context.newPage();
    page.on('pageerror', (e) => pageErrors.push(e.message));
    // Data first: vessels in the state and at least one alert (sensor thresholds fire within seconds).
    await until(
        'vessels and alerts from the simulator',
        async () => {
            const [vessels, alerts] = await Promise.all([
                api<{ items: unknown[] }>('vessels?limit=100'),
                api<{ items: unknown[] }>('alerts?limit=1'),
            ]);
            return vessels.items.length >= 40 && alerts.items.length > 0 ? true : undefined;
        },
        90_000,
    );

    // Today's gold (vessel_daily, emissions_daily, fleet_daily, dq_daily), then the CII of the year from it.
    const built = await fireTimer(buildGold, sim.stack.runtime, 'buildGold');
    expect(built.windows.map((w) => `${w.day}:${w.outcome}`)).toEqual([`${today}:built`]);
    await fireTimer(checkCompliance, sim.stack.runtime, 'checkCompliance');
    const fleet = await api<FleetCii>(`fleet/cii?year=${year}&limit=1000`);
    const candidates = fleet.items.filter((v) => v.applicable && v.yearToDate !== null);
    if (candidates.length === 0)
        throw new Error(
            `no vessel CII-rated after the gold build and checkCompliance: ${JSON.stringify(fleet.distribution)}`,
        );
    rated = candidates[0]!;
    const whole = { index: 0, count: 1 };
    await writeGoldTable(sim.stack.runtime.lake, sim.stack.runtime.gold, PORT_CALLS_SPEC, yesterday, whole, [
        { date: yesterday, mmsi: rated.mmsi, ...seededCall, max_gap_hours: 0.5, status: 'closed' },
    ]);
    await writeGoldTable(sim.stack.runtime.lake, sim.stack.runtime.gold, VOYAGES_SPEC, yesterday, whole, [
        { date: yesterday, mmsi: rated.mmsi, ...seededVoyage },
    ]);
}, 420_000);

afterAll(async () => {
    await context?.close();
    if (profile) rmSync(profile, { recursive: true, force: true });
    await sim?.stop();
}, 60_000);

// Each step waits on a live stack and a browser on a shared machine.
jest.setTimeout(90_000);

describe('dashboard in Chromium', () => {
    it('shows the vessels on the map, and a click opens the vessel panel with its track', async () => {
        await page.goto(`${sim.baseUrl}/dashboard`);
        const shown = await until('vessels on the map', async () => {
            const n = Number(await page.getAttribute('body', 'data-vessels'));
            return n > 0 ? n : undefined;
        });
        expect(shown).toBeGreaterThan(0);
        // Markers or clusters are drawn, and the land polygons are there.
        await page.waitForSelector('.vessel-icon, .marker-cluster');
        await page.waitForSelector('path.leaflet-interactive, .leaflet-overlay-pane path');
        await page.screenshot({ path: join(ARTIFACTS, 'dashboard-map.png') });

        // Click a single vessel well inside the map (markers in the padded bbox may sit outside the visible area),
        // until the panel opens: the map re-places every moved marker each few seconds, so on a loaded machine the
        // marker measured may have moved (or joined a cluster) before the click lands; measure and click again.
        type Box = { left: number; top: number; right: number; bottom: number };
        type El = { getBoundingClientRect(): Box };
        type Doc = { querySelector(s: string): El | null; querySelectorAll(s: string): ArrayLike<El> };
        await until(
            'the vessel panel opened from a marker inside the map',
            async () => {
                const point = await page.evaluate(() => {
                    const doc = (globalThis as unknown as { document: Doc }).document;
                    const map = doc.querySelector('#map')?.getBoundingClientRect();
                    const legend = doc.querySelector('.legend')?.getBoundingClientRect();
                    if (!map) return null;
                    for (const el of Array.from(doc.querySelectorAll('.vessel-icon'))) {
                        const r = el.getBoundingClientRect();
                        const x = (r.left + r.right) / 2;
                        const y = (r.top + r.bottom) / 2;
                        const inLegend =
                            legend &&
                            x >= legend.left - 10 &&
                            x <= legend.right + 10 &&
                            y >= legend.top - 10 &&
                            y <= legend.bottom + 10;
                        if (
                            x > map.left + 60 &&
                            x < map.right - 20 &&
                            y > map.top + 20 &&
                            y < map.bottom - 30 &&
                            !inLegend
                        )
                            return { x, y };
                    }
                    return null;
                });
                if (point) {
                    await page.mouse.click(point.x, point.y);
                    const open = await page
                        .waitForSelector('#vessel-panel:not([hidden]) .vessel-name', { timeout: 3_000 })
                        .catch(() => null);
                    return open ? true : undefined;
                }
                // Zoom into a cluster, then wait for the zoom to end (the page records it on <body data-zoom>).
                const zoom = await page.getAttribute('body', 'data-zoom');
                await page.click('.marker-cluster');
                await page.waitForFunction(
                    (before) =>
                        (globalThis as unknown as { document: { body: { dataset: Record<string, string> } } })
                            .document.body.dataset.zoom !== before,
                    zoom,
                    { timeout: 10_000 },
                );
                return undefined;
            },
            60_000,
        );
        const mmsi = (await page.textContent('#vessel-panel dd[data-field="mmsi"]'))?.trim();
        expect(mmsi).toMatch(/^\d{1,9}$/);
        const fields = await page.$$eval('#vessel-panel dd[data-field]', (els: unknown[]) =>
            (els as Item[]).map((e) => e.getAttribute('data-field')),
        );
        expect(fields).toEqual(
            expect.arrayContaining([
                'mmsi',
                'flag',
                'type',
                'speed',
                'course',
                'destination',
                'last-seen',
                'track',
            ]),
        );
        const trackText = await until('the track in the panel', async () => {
            const t = await page.textContent('#vessel-panel dd[data-field="track"]', { timeout: 1000 });
            return t && /[1-9]\d* fixes/.test(t) ? t : undefined;
        });
        const fixes = Number(/(\d+) fixes/.exec(trackText)?.[1]);
        // Attached, not necessarily visible: two fixes a few metres apart draw a line shorter than a pixel.
        if (fixes >= 2) await page.waitForSelector('path.vessel-track', { state: 'attached' });
        const state = await api<{ mmsi: number; flag?: string; static?: { name?: string } }>(
            `vessels/${mmsi}`,
        );
        expect(await page.textContent('#vessel-panel .vessel-name')).toBe(
            state.static?.name ?? `MMSI ${mmsi}`,
        );
        if (state.flag)
            expect(await page.textContent('#vessel-panel dd[data-field="flag"]')).toContain(state.flag);
        // Last seen is a UTC date-time, not a raw number.
        expect(await page.textContent('#vessel-panel dd[data-field="last-seen"]')).toMatch(
            /^\d{4}-\d\d-\d\d \d\d:\d\d:\d\dZ/,
        );
        await page.screenshot({ path: join(ARTIFACTS, 'dashboard-vessel-panel.png') });
    });

    it('fills the alert feed newest first, filters by kind, and a click flies to the vessel', async () => {
        await page.waitForSelector('#alert-feed li.alert');
        const times = await page.$$eval('#alert-feed li.alert', (els: unknown[]) =>
            (els as Item[]).map((e) => Number(e.getAttribute('data-time'))),
        );
        expect(times.length).toBeGreaterThan(0);
        // Newest first.
        expect(times).toEqual([...times].sort((a, b) => b - a));
        const kinds = await page.$$eval('#alert-feed li.alert .kind', texts);
        expect(kinds.length).toBeGreaterThan(0);

        await page.selectOption('#alert-kind', 'sensor-threshold');
        await until('only sensor-threshold alerts', async () => {
            const k = await page.$$eval('#alert-feed li.alert .kind', texts);
            return k.length > 0 && k.every((x) => x === 'sensor-threshold') ? true : undefined;
        });
        // The feed re-renders every few seconds; a click can land on an item being replaced, so click again until the
        // panel opens (it must open within 30 s).
        await until(
            'the vessel panel opened from an alert',
            async () => {
                await page.click('#alert-feed li.alert');
                const open = await page
                    .waitForSelector('#vessel-panel:not([hidden]) .vessel-name', { timeout: 3_000 })
                    .catch(() => null);
                return open ? true : undefined;
            },
            30_000,
        );
        await page.screenshot({ path: join(ARTIFACTS, 'dashboard-alerts.png') });
        await page.selectOption('#alert-kind', '');
    });

    it('shows in the KPI tiles the numbers the gold endpoints serve', async () => {
        const value = (id: string): Promise<string | null> =>
            page.textContent(`[data-kpi="${id}"] .tile-value`);
        const [summary, dq, cii] = await Promise.all([
            api<FleetSummary>(`fleet/summary?date=${today}`),
            api<{ items: DqRow[] }>(`dq?date=${today}`),
            api<FleetCii>(`fleet/cii?year=${year}`),
        ]);
        // Gold was built before the page loaded, so the first render has it; the tiles refresh every 10 s.
        await until('the gold tiles filled', async () =>
            /\d/.test((await value('fuel')) ?? '') ? true : undefined,
        );
        expectShown(await value('vessels-active'), summary.vessels, 0);
        expect(summary.vessels).toBeGreaterThan(0);
        expect(await value('events-per-second')).toMatch(/\d/);
        expectShown(await value('distance'), summary.distance_nm, 0);
        expectShown(await value('fuel'), summary.fuel_t, 1);
        expectShown(await value('co2'), summary.co2_t, 1);
        expect(summary.fuel_t).toBeGreaterThan(0);

        const ytd = cii.distribution.yearToDate;
        const ratedCount = (['A', 'B', 'C', 'D', 'E'] as const).reduce((n, r) => n + ytd[r], 0);
        expect(ratedCount).toBeGreaterThan(0);
        expectShown(await value('cii'), ratedCount, 0);
        const bars = await page.$$eval('[data-kpi="cii"] .cii-bar', (els: unknown[]) =>
            (els as Item[]).map((e) => `${e.getAttribute('data-rating')}:${e.textContent}`),
        );
        expect(bars).toEqual((['A', 'B', 'C', 'D', 'E'] as const).map((r) => `${r}:${r} ${ytd[r]}`));

        const bronze = dq.items.filter((r) => r.layer === 'bronze');
        const received = bronze.reduce((n, r) => n + (r.received ?? 0), 0);
        const accepted = bronze.reduce((n, r) => n + (r.accepted ?? 0), 0);
        expect(received).toBeGreaterThan(0);
        expectShown(await value('data-quality'), (100 * accepted) / received, 1);
        expect(await page.textContent('[data-kpi="data-quality"] .tile-sub')).toContain(
            `${accepted.toLocaleString('en-GB')} of ${received.toLocaleString('en-GB')}`,
        );
        await page.screenshot({ path: join(ARTIFACTS, 'dashboard-kpis.png') });
    });

    it('shows the data quality of the day and the fleet CII on the fleet page', async () => {
        await page.goto(`${sim.baseUrl}/dashboard#/fleet`);
        await page.waitForSelector('#view-fleet[data-ready="true"]');
        const [dq, cii] = await Promise.all([
            api<{ items: DqRow[] }>(`dq?date=${today}`),
            api<FleetCii>(`fleet/cii?year=${year}&limit=1000`),
        ]);
        // One row per layer and source, each with the count its layer keeps.
        for (const row of dq.items) {
            const cell = (col: string): Promise<string | null> =>
                page.textContent(
                    `#dq tr[data-layer="${row.layer}"][data-source="${row.source}"] td[data-col="${col}"]`,
                );
            const count =
                row.layer === 'silver'
                    ? row.records
                    : row.layer === 'bronze'
                      ? row.received
                      : row.quarantined;
            expectShown(await cell('count'), count ?? 0, 0);
            if (row.layer === 'bronze') expectShown(await cell('accepted'), row.accepted ?? 0, 0);
        }
        expect(dq.items.length).toBeGreaterThanOrEqual(6);
        const bronze = dq.items.filter((r) => r.layer === 'bronze');
        expectShown(
            await page.textContent('#dq [data-dq="received"]'),
            bronze.reduce((n, r) => n + (r.received ?? 0), 0),
            0,
        );
        expectShown(
            await page.textContent('#dq [data-dq="quarantined"]'),
            bronze.reduce((n, r) => n + (r.quarantined ?? 0), 0),
            0,
        );

        // The distribution, year to date and projected, then the rated vessels with their letters.
        for (const which of ['yearToDate', 'projected'] as const) {
            const cells = await page.$$eval(
                `#fleet-cii tr[data-distribution="${which}"] td[data-rating]`,
                (els: unknown[]) =>
                    (els as Item[]).map((e) => `${e.getAttribute('data-rating')}:${e.textContent}`),
            );
            expect(cells).toEqual(
                (['A', 'B', 'C', 'D', 'E'] as const).map((r) => `${r}:${cii.distribution[which][r]}`),
            );
        }
        const ratedItems = cii.items.filter((v) => v.yearToDate !== null);
        expect(await page.$$eval('#fleet-cii tr[data-mmsi]', (els: unknown[]) => els.length)).toBe(
            Math.min(200, ratedItems.length),
        );
        const letters = await page.$$eval(`#fleet-cii tr[data-mmsi="${rated.mmsi}"] [data-cii]`, texts);
        expect(letters).toEqual([rated.yearToDate!.rating, rated.projected?.rating ?? '-']);
        await page.screenshot({ path: join(ARTIFACTS, 'dashboard-fleet.png'), fullPage: true });
    });

    it('draws the vessel page: speed, daily distance and fuel, emissions, CII, port calls and voyages from gold', async () => {
        const mmsi = rated.mmsi;
        const range = `from=${addDays(today, -29)}&to=${today}`;
        const [daily, emissions, cii] = await Promise.all([
            api<{ items: { date: string; distance_nm: number }[] }>(`vessels/${mmsi}/daily?${range}`),
            api<{ items: { date: string; fuel_total_t: number; co2_t: number }[] }>(
                `vessels/${mmsi}/emissions?${range}`,
            ),
            api<VesselCii>(`vessels/${mmsi}/cii?year=${year}`),
        ]);
        await openVesselPage(mmsi);
        await until(
            'the speed chart drawn',
            async () => ((await drawn('#chart-speed')) ? true : undefined),
            10_000,
        );

        // Daily distance and fuel: the chart, and the latest day's figures under it.
        const day = daily.items.find((r) => r.date === today);
        const fuel = emissions.items.find((r) => r.date === today);
        expect(day && fuel).toBeTruthy();
        expect(await page.getAttribute('#daily .chart-caption', 'data-day')).toBe(today);
        expectShown(await page.textContent('#daily [data-value="distance_nm"]'), day!.distance_nm, 2);
        expectShown(await page.textContent('#daily [data-value="fuel_total_t"]'), fuel!.fuel_total_t, 2);
        expect(await drawn('#chart-daily')).toBe(true);
        expectShown(await page.textContent('#emissions [data-value="co2_t"]'), fuel!.co2_t, 2);
        expect(await drawn('#chart-emissions')).toBe(true);

        // CII: the year-to-date and projected letters and figures of /cii.
        expect(cii.yearToDate).not.toBeNull();
        expect(await page.textContent('#cii [data-cii="ytd"]')).toBe(cii.yearToDate!.rating);
        expect(await page.textContent('#cii [data-cii="projected"]')).toBe(cii.projected?.rating ?? '-');
        expectShown(await page.textContent('#cii [data-cii="attained"]'), cii.yearToDate!.attained, 2);
        expectShown(await page.textContent('#cii [data-cii="required"]'), cii.yearToDate!.required, 2);

        // Port calls and voyages: the seeded rows, times as UTC date-times.
        const minute = (t: number): string => `${new Date(t).toISOString().slice(0, 16).replace('T', ' ')}Z`;
        const call = await page.$$eval('#port-calls tr[data-locode="NLRTM"] td', texts);
        expect(call).toEqual([
            'NLRTM Rotterdam',
            minute(seededCall.arrival),
            minute(seededCall.departure),
            '17.5',
            '6.2',
        ]);
        const voyage = await page.$$eval('#voyages tr[data-to="NLRTM"] td', texts);
        expect(voyage).toEqual([
            'DEHAM',
            'NLRTM',
            minute(seededVoyage.departure),
            minute(seededVoyage.arrival),
            '18.4',
            '304.6',
            '-',
        ]);
        await page.screenshot({ path: join(ARTIFACTS, 'dashboard-vessel-page.png'), fullPage: true });
    });

    it('draws the sensor charts of a vessel with sensors', async () => {
        // A vessel with sensors (the sensor simulator instruments the first Class A vessels).
        const mmsi = await until('a vessel with sensor readings', async () => {
            const alerts = await api<{ items: { kind: string; mmsi: number }[] }>(
                'alerts?kind=sensor-threshold&limit=20',
            );
            for (const a of alerts.items) {
                const s = await api<{ sensors: unknown[] }>(`vessels/${a.mmsi}/sensors`);
                if (s.sensors.length > 0) return a.mmsi;
            }
            return undefined;
        });
        const sensors = await api<{ sensors: unknown[] }>(`vessels/${mmsi}/sensors`);
        await openVesselPage(mmsi);
        const sensorCharts = await page.$$('canvas[id^="chart-sensor-"]');
        expect(sensorCharts.length).toBeGreaterThanOrEqual(sensors.sensors.length);
        expect(await drawn('#chart-sensor-0')).toBe(true);
    });

    it('shows the equipment health of the vessel page, riskiest first', async () => {
        // Gold equipment_health rows as the scoreMaintenance timer writes them (the live simulator has no degradation
        // history to score yet), through the stack's own lake and gold store.
        const vessels = await api<{ items: { mmsi: number }[] }>('vessels?limit=1');
        const mmsi = vessels.items[0]!.mmsi;
        const row = (
            equipment_id: string,
            kind: string,
            probability: number,
            at_risk: boolean,
            feature: string,
        ): Record<string, unknown> => ({
            date: today,
            mmsi,
            equipment_id,
            kind,
            health: Math.round(100 * (1 - probability)),
            probability,
            horizon_days: 7,
            at_risk,
            contributions: JSON.stringify([{ feature, value: 3.2, logOdds: 1.4 }]),
            episode_start: undefined,
            model_version: 'test',
            scored_at: Date.now(),
        });
        await writeGoldTable(
            sim.stack.runtime.lake,
            sim.stack.runtime.gold,
            EQUIPMENT_HEALTH_SPEC,
            today,
            { index: 0, count: 1 },
            [
                row('ME1-TC', 'turbocharger', 0.04, false, 'load_1d'),
                row('ME1-BRG', 'bearing', 0.62, true, 'slope_3d'),
            ],
        );

        await openVesselPage(mmsi);
        const rows = await page.$$eval('#equipment tr.equipment', (els) =>
            els.map((e) => (e as unknown as Item).getAttribute('data-equipment')),
        );
        expect(rows).toEqual(['ME1-BRG', 'ME1-TC']);
        const first = await page.textContent('#equipment tr.equipment.at-risk');
        expect(first).toContain('38');
        expect(first).toContain('62 %');
        expect(first).toContain('slope_3d');
        await page.screenshot({ path: join(ARTIFACTS, 'dashboard-equipment.png'), fullPage: true });
    });

    it('renders the API reference with every documented route', async () => {
        await page.goto(`${sim.baseUrl}/docs`);
        await page.waitForSelector('.opblock');
        const doc = await api<{ paths: Record<string, Record<string, unknown>> }>('openapi.json');
        const operations = Object.values(doc.paths).reduce((n, item) => n + Object.keys(item).length, 0);
        await until(
            'all operations rendered',
            async () => ((await page.$$('.opblock')).length === operations ? true : undefined),
            10_000,
        );
        await page.screenshot({ path: join(ARTIFACTS, 'api-docs.png') });
        expect(pageErrors).toEqual([]);
    });
});
