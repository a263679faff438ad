/**
 * The dashboard in a real browser: Debian's Chromium driven by playwright-core against the stack `npm start` runs
 * (embedded services, local trigger host, traffic and sensor simulators) on free ports. Screenshots go to
 * test-artifacts/. No browser is a failure with instructions, never a skip: `.ci/run` installs it.
 */
import { existsSync, mkdirSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

import { afterAll, beforeAll, describe, expect, it, jest } from '@jest/globals';
import { type BrowserContext, chromium, type Page } from 'playwright-core';

import { type SimulatedStack, startSimulatedStack } from '../../local/simulatedStack.js';
import { writeGoldTable } from '../../shared/app/gold/goldOutput.js';
import { EQUIPMENT_HEALTH_SPEC } from '../../shared/app/maintenance/scoreMaintenance.js';

const CHROMIUM = process.env.CHROMIUM_PATH ?? '/usr/bin/chromium';
const ARTIFACTS = join(process.cwd(), 'test-artifacts');

let sim: SimulatedStack;
let context: BrowserContext;
let page: Page;
let profile: string;
const pageErrors: string[] = [];

async function until<T>(what: string, probe: () => Promise<T | undefined>, timeoutMs = 30_000): Promise<T> {
    const deadline = Date.now() + timeoutMs;
    for (;;) {
        const value = await probe().catch(() => undefined);
        if (value !== undefined) return value;
        if (Date.now() > deadline) throw new Error(`timed out after ${timeoutMs} ms waiting for ${what}`);
        await new Promise((r) => setTimeout(r, 250));
    }
}

async function api<T>(path: string): Promise<T> {
    const res = await fetch(`${sim.baseUrl}/${path}`);
    if (!res.ok) throw new Error(`${path}: ${res.status}`);
    return (await res.json()) as T;
}

/** The little of a DOM element the page callbacks read (this tsconfig has no DOM types). */
type Item = { textContent: string | null; getAttribute(name: string): string | null };
const texts = (els: unknown[]): (string | null)[] => (els as Item[]).map((e) => e.textContent);

/** True when a canvas has something drawn on it (not all transparent). */
function drawn(selector: string): Promise<boolean> {
    // Runs in the page (the test's own tsconfig has no DOM types).
    type Canvas = { width: number; height: number; getContext(kind: '2d'): { getImageData(x: number, y: number, w: number, h: number): { data: ArrayLike<number> } } | null };
    return page.$eval(selector, (el) => {
        const c = el as unknown as Canvas;
        const data = c.getContext('2d')?.getImageData(0, 0, c.width, c.height).data;
        if (!data) return false;
        let painted = 0;
        for (let i = 3; i < data.length; i += 4) if ((data[i] ?? 0) > 0) painted++;
        return painted > 200;
    });
}

beforeAll(async () => {
    if (!existsSync(CHROMIUM)) {
        throw new Error(
            `Chromium not found at ${CHROMIUM}. The browser test needs Debian's chromium: 'apt-get update && apt-get install -y chromium' ` +
                '(.ci/run does this), or set CHROMIUM_PATH to a Chromium executable.',
        );
    }
    mkdirSync(ARTIFACTS, { recursive: true });
    // Modest rates: the page's reads share one Node process with the ingest on a small, shared machine.
    sim = await startSimulatedStack({ rate: 100, vessels: 100, sensorRate: 30, batchWindowMs: 200 });
    profile = mkdtempSync(join(tmpdir(), 'dashboard-chromium-'));
    context = await chromium.launchPersistentContext(profile, {
        executablePath: CHROMIUM,
        headless: true,
        viewport: { width: 1400, height: 860 },
        args: ['--headless', '--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run', '--disable-background-networking', '--disable-component-update', '--disable-sync'],
    });
    page = await context.newPage();
    page.on('pageerror', (e) => pageErrors.push(e.message));
    // Data first: vessels in the state and at least one alert (sensor thresholds fire within seconds).
    await until('vessels and alerts from the simulator', async () => {
        const [vessels, alerts] = await Promise.all([api<{ items: unknown[] }>('vessels?limit=100'), api<{ items: unknown[] }>('alerts?limit=1')]);
        return vessels.items.length >= 50 && alerts.items.length > 0 ? true : undefined;
    }, 90_000);
}, 150_000);

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

        // Click a single vessel well inside the map (markers in the padded bbox may sit outside the visible area).
        type Box = { left: number; top: number; right: number; bottom: number };
        type El = { getBoundingClientRect(): Box };
        type Doc = { querySelector(s: string): El | null; querySelectorAll(s: string): ArrayLike<El> };
        const target = await until('a vessel marker inside the map', async () => {
            const point = await page.evaluate(() => {
                const doc = (globalThis as unknown as { document: Doc }).document;
                const map = doc.querySelector('#map')?.getBoundingClientRect();
                const legend = doc.querySelector('.legend')?.getBoundingClientRect();
                if (!map) return null;
                for (const el of Array.from(doc.querySelectorAll('.vessel-icon'))) {
                    const r = el.getBoundingClientRect();
                    const x = (r.left + r.right) / 2;
                    const y = (r.top + r.bottom) / 2;
                    const inLegend = legend && x >= legend.left - 10 && x <= legend.right + 10 && y >= legend.top - 10 && y <= legend.bottom + 10;
                    if (x > map.left + 60 && x < map.right - 20 && y > map.top + 20 && y < map.bottom - 30 && !inLegend) return { x, y };
                }
                return null;
            });
            if (point) return point;
            await page.click('.marker-cluster');
            await page.waitForTimeout(700);
            return undefined;
        });
        await page.mouse.click(target.x, target.y);
        await page.waitForSelector('#vessel-panel:not([hidden]) .vessel-name');
        const mmsi = (await page.textContent('#vessel-panel dd[data-field="mmsi"]'))?.trim();
        expect(mmsi).toMatch(/^\d{1,9}$/);
        const fields = await page.$$eval('#vessel-panel dd[data-field]', (els: unknown[]) => (els as Item[]).map((e) => e.getAttribute('data-field')));
        expect(fields).toEqual(expect.arrayContaining(['mmsi', 'flag', 'type', 'speed', 'course', 'destination', 'last-seen', 'track']));
        const trackText = await until('the track in the panel', async () => {
            const t = await page.textContent('#vessel-panel dd[data-field="track"]', { timeout: 1000 });
                return t && /[1-9]\d* fixes/.test(t) ? t : undefined;
        });
        const fixes = Number(/(\d+) fixes/.exec(trackText)?.[1]);
        // Attached, not necessarily visible: two fixes a few metres apart draw a line shorter than a pixel.
        if (fixes >= 2) await page.waitForSelector('path.vessel-track', { state: 'attached' });
        const state = await api<{ mmsi: number; static?: { name?: string } }>(`vessels/${mmsi}`);
        expect(await page.textContent('#vessel-panel .vessel-name')).toBe(state.static?.name ?? `MMSI ${mmsi}`);
        await page.screenshot({ path: join(ARTIFACTS, 'dashboard-vessel-panel.png') });
    });

    it('fills the alert feed newest first, filters by kind, and a click flies to the vessel', async () => {
        await page.waitForSelector('#alert-feed li.alert');
        const times = await page.$$eval('#alert-feed li.alert', (els: unknown[]) => (els as Item[]).map((e) => Number(e.getAttribute('data-time'))));
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
                const open = await page.waitForSelector('#vessel-panel:not([hidden]) .vessel-name', { timeout: 3_000 }).catch(() => null);
                return open ? true : undefined;
            },
            30_000,
        );
        await page.screenshot({ path: join(ARTIFACTS, 'dashboard-alerts.png') });
        await page.selectOption('#alert-kind', '');
    });

    it('has numbers in the KPI tiles, and says "no data yet" where a gold endpoint is missing', async () => {
        const value = (id: string): Promise<string | null> => page.textContent(`[data-kpi="${id}"] .tile-value`);
        await until('KPI numbers', async () => ((await value('vessels-active')) ?? '').match(/\d/) ? true : undefined);
        expect(Number((await value('vessels-active'))?.replace(/,/g, ''))).toBeGreaterThan(0);
        expect(await value('events-per-second')).toMatch(/\d/);
        expect(await value('data-quality')).toBeTruthy();
        // Gold tiles: either numbers (the gold endpoints exist) or a clear "no data yet".
        const tiles: Record<string, string | null> = {};
        const expected: Record<string, string | RegExp> = {};
        for (const id of ['distance', 'fuel', 'co2', 'cii']) {
            const endpoint = await fetch(`${sim.baseUrl}/${id === 'cii' ? `fleet/cii?year=${new Date().getUTCFullYear()}` : `fleet/summary?date=${new Date().toISOString().slice(0, 10)}`}`);
            tiles[id] = await value(id);
            expected[id] = endpoint.status === 404 ? 'no data yet' : expect.stringMatching(/\d/) as unknown as RegExp;
        }
        expect(tiles).toEqual(expected);
    });

    it('draws the vessel page charts: speed from the track, sensors with their anomalies', async () => {
        // A vessel with sensors (the sensor simulator instruments the first Class A vessels).
        const mmsi = await until('a vessel with sensor readings', async () => {
            const alerts = await api<{ items: { kind: string; mmsi: number }[] }>('alerts?kind=sensor-threshold&limit=20');
            for (const a of alerts.items) {
                const s = await api<{ sensors: unknown[] }>(`vessels/${a.mmsi}/sensors`);
                if (s.sensors.length > 0) return a.mmsi;
            }
            return undefined;
        });
        await page.goto(`${sim.baseUrl}/dashboard#/vessel/${mmsi}`);
        await page.waitForSelector('#view-vessel[data-ready="true"]');
        expect(await page.textContent('.vessel-title')).toContain(String(mmsi));
        await until('the speed chart drawn', async () => ((await drawn('#chart-speed')) ? true : undefined), 10_000);
        const sensorCharts = await page.$$('canvas[id^="chart-sensor-"]');
        expect(sensorCharts.length).toBeGreaterThan(0);
        expect(await drawn('#chart-sensor-0')).toBe(true);
        // Gold and compliance sections: a chart/table (or "none": the endpoint answered with no rows yet) when their
        // endpoint exists, else "no data yet".
        const sections: Record<string, boolean> = {};
        for (const section of ['daily', 'emissions', 'cii', 'port-calls', 'voyages']) {
            const html = await page.innerHTML(`#${section}`);
            sections[section] = html.includes('no data yet') || /canvas|table|cii-rating|<p>none<\/p>/.test(html);
        }
        expect(sections).toEqual({ daily: true, emissions: true, cii: true, 'port-calls': true, voyages: true });
        await page.screenshot({ path: join(ARTIFACTS, 'dashboard-vessel-page.png'), fullPage: true });
    });

    it('shows the equipment health of the vessel page, riskiest first', async () => {
        // Gold equipment_health rows as the scoreMaintenance timer writes them (the live simulator has no degradation
        // history to score yet), through the stack's own lake and gold store.
        const vessels = await api<{ items: { mmsi: number }[] }>('vessels?limit=1');
        const mmsi = vessels.items[0]!.mmsi;
        const day = new Date().toISOString().slice(0, 10);
        const row = (equipment_id: string, kind: string, probability: number, at_risk: boolean, feature: string): Record<string, unknown> => ({
            date: day, mmsi, equipment_id, kind, health: Math.round(100 * (1 - probability)), probability, horizon_days: 7, at_risk,
            contributions: JSON.stringify([{ feature, value: 3.2, logOdds: 1.4 }]), episode_start: undefined, model_version: 'test', scored_at: Date.now(),
        });
        await writeGoldTable(sim.stack.runtime.lake, sim.stack.runtime.gold, EQUIPMENT_HEALTH_SPEC, day, { index: 0, count: 1 }, [
            row('ME1-TC', 'turbocharger', 0.04, false, 'load_1d'),
            row('ME1-BRG', 'bearing', 0.62, true, 'slope_3d'),
        ]);

        await page.goto(`${sim.baseUrl}/dashboard#/vessel/${mmsi}`);
        await page.waitForSelector('#view-vessel[data-ready="true"]');
        const rows = await page.$$eval('#equipment tr.equipment', (els) => els.map((e) => (e as unknown as Item).getAttribute('data-equipment')));
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
        await until('all operations rendered', async () => ((await page.$$('.opblock')).length === operations ? true : undefined), 10_000);
        await page.screenshot({ path: join(ARTIFACTS, 'api-docs.png') });
        expect(pageErrors).toEqual([]);
    });
});
