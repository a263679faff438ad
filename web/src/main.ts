/**
 * The dashboard's entry: hash routes `#/` (map, alerts, KPIs), `#/vessel/{mmsi}` (vessel page) and `#/fleet[/{day}]`
 * (data quality and fleet CII).
 */
import { AlertFeed } from './alerts.js';
import { ApiError, functionKey, getJson, onAuthProblem, setFunctionKey, type Vessel } from './api.js';
import { renderFleetPage } from './fleet.js';
import { esc, fmtTime } from './format.js';
import { KpiTiles } from './kpis.js';
import { VesselMap, vesselPanelHtml } from './map.js';
import { destroyVesselPage, renderVesselPage } from './vessel.js';

const $ = <T extends HTMLElement>(id: string): T => document.getElementById(id) as T;

const status = $('status');
const keyBanner = $('key-banner');
function showError(error: unknown): void {
    if (error instanceof ApiError && (error.status === 401 || error.status === 403)) return;
    status.textContent = `error: ${error instanceof Error ? error.message : String(error)}`;
    status.className = 'status error';
}
onAuthProblem(() => {
    keyBanner.hidden = false;
    status.textContent = 'function key needed';
    status.className = 'status error';
});
$('key-button').addEventListener('click', () => {
    keyBanner.hidden = !keyBanner.hidden;
});
$('key-save').addEventListener('click', () => {
    setFunctionKey($<HTMLInputElement>('key-input').value.trim());
    keyBanner.hidden = true;
    location.reload();
});
if (functionKey()) $('key-button').textContent = 'key ✓';

const map = new VesselMap($('map'));
const panel = $('vessel-panel');
const feed = new AlertFeed($<HTMLOListElement>('alert-feed'), $<HTMLSelectElement>('alert-kind'));
const kpis = new KpiTiles($('kpis'));

async function openVessel(mmsi: number, fly: boolean): Promise<void> {
    try {
        const vessel = await getJson<Vessel>(`vessels/${mmsi}`);
        if (fly && vessel.position) map.flyTo(vessel.position.lat, vessel.position.lon);
        panel.hidden = false;
        panel.innerHTML = vesselPanelHtml(vessel, 0);
        panel.dataset.mmsi = String(mmsi);
        const points = await map.select(vessel);
        panel.innerHTML = vesselPanelHtml(vessel, points.length);
    } catch (error) {
        panel.hidden = false;
        panel.innerHTML = `<p class="error">vessel ${mmsi}: ${esc(error instanceof Error ? error.message : String(error))}</p>`;
    }
}

panel.addEventListener('click', (event) => {
    if ((event.target as HTMLElement).closest('[data-close]')) {
        panel.hidden = true;
        map.clearSelection();
    }
});
map.onSelect = (mmsi) => void openVessel(mmsi, false);
map.onUpdate = (n, at) => {
    status.textContent = `${n} vessels in view · updated ${fmtTime(at).slice(11)}`;
    status.className = 'status ok';
    document.body.dataset.vessels = String(n);
};
map.onError = showError;
// The zoom level on <body data-zoom>, for tools that wait for a zoom to end (the browser test).
const recordZoom = (): void => {
    document.body.dataset.zoom = String(map.map.getZoom());
};
map.map.on('zoomend', recordZoom);
recordZoom();
feed.onError = showError;
kpis.onError = showError;
feed.onClick = (item) => {
    if (item.position) map.flyTo(item.position.lat, item.position.lon);
    if (item.mmsi) void openVessel(item.mmsi, !item.position);
};

let started = false;
async function route(): Promise<void> {
    const m = /^#\/vessel\/(\d{1,9})$/.exec(location.hash);
    const fleet = /^#\/fleet(?:\/(\d{4}-\d{2}-\d{2}))?$/.exec(location.hash);
    const mapView = $('view-map');
    const vesselView = $('view-vessel');
    const fleetView = $('view-fleet');
    fleetView.hidden = !fleet;
    if (fleet) {
        destroyVesselPage();
        mapView.hidden = true;
        vesselView.hidden = true;
        fleetView.dataset.ready = '';
        try {
            await renderFleetPage(fleetView, fleet[1] ?? new Date().toISOString().slice(0, 10));
            fleetView.dataset.ready = 'true';
        } catch (error) {
            fleetView.innerHTML = `<a href="dashboard#/" class="back">← map</a><p class="error">${esc(error instanceof Error ? error.message : String(error))}</p>`;
        }
        return;
    }
    if (m) {
        mapView.hidden = true;
        vesselView.hidden = false;
        vesselView.dataset.ready = '';
        try {
            await renderVesselPage(vesselView, Number(m[1]));
            vesselView.dataset.ready = 'true';
        } catch (error) {
            vesselView.innerHTML = `<a href="dashboard#/" class="back">← map</a><p class="error">${esc(error instanceof Error ? error.message : String(error))}</p>`;
        }
        return;
    }
    destroyVesselPage();
    vesselView.hidden = true;
    vesselView.dataset.ready = '';
    mapView.hidden = false;
    map.map.invalidateSize();
    if (!started) {
        started = true;
        map.loadCoastlines().catch(showError);
        map.start();
        feed.start();
        kpis.start();
    }
}
window.addEventListener('hashchange', () => void route());
void route();
