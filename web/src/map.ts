/**
 * The live map: Leaflet with Natural Earth land polygons bundled from `world-atlas` (no tile server), every
 * vessel of the live state as a heading arrow coloured by ship type category, clustered when zoomed out,
 * re-queried by bounding box as the user pans and refreshed every few seconds.
 */
import './leafletGlobal.js';
import 'leaflet.markercluster';

import L from 'leaflet';
import { feature } from 'topojson-client';
import type { GeometryCollection, Topology } from 'topojson-specification';

import { getAllPages, getJson, type TrackPoint, type Vessel } from './api.js';
import { ago, CATEGORY_COLOURS, categoryColour, esc, fmtNumber, fmtTime, UNKNOWN_COLOUR } from './format.js';

const REFRESH_MS = 4000;

function arrowIcon(v: Vessel, selected: boolean): L.DivIcon {
    const colour = categoryColour(v.static?.shipCategory);
    const angle = v.position?.heading ?? v.position?.cog ?? 0;
    const moving = (v.position?.sog ?? 0) >= 0.5;
    // An arrow when under way, a dot when not moving; heading (else course) sets the rotation.
    const shape = moving
        ? '<path d="M8 0 L14 16 L8 12 L2 16 Z" stroke="#1b1b1b" stroke-width="0.8"/>'
        : '<circle cx="8" cy="8" r="4.5" stroke="#1b1b1b" stroke-width="0.8"/>';
    return L.divIcon({
        className: `vessel-icon${selected ? ' selected' : ''}`,
        html: `<svg width="16" height="16" viewBox="0 0 16 16" style="transform: rotate(${angle}deg)" fill="${colour}" data-mmsi="${v.mmsi}">${shape}</svg>`,
        iconSize: [16, 16],
        iconAnchor: [8, 8],
    });
}

function iconKey(v: Vessel, selected: boolean): string {
    return `${v.static?.shipCategory ?? ''}|${Math.round(v.position?.heading ?? v.position?.cog ?? 0)}|${(v.position?.sog ?? 0) >= 0.5}|${selected}`;
}

interface Entry {
    marker: L.Marker;
    vessel: Vessel;
    key: string;
}

export class VesselMap {
    readonly map: L.Map;
    private readonly cluster: L.MarkerClusterGroup;
    private readonly entries = new Map<number, Entry>();
    private track: L.Polyline | undefined;
    private selected: number | undefined;
    private timer: number | undefined;
    private loading = false;
    private reloadAgain = false;
    onSelect: (mmsi: number) => void = () => undefined;
    onUpdate: (vessels: number, at: number) => void = () => undefined;
    onError: (error: unknown) => void = () => undefined;

    constructor(element: HTMLElement) {
        this.map = L.map(element, {
            worldCopyJump: true,
            minZoom: 2,
            maxZoom: 16,
            preferCanvas: false,
            zoomControl: true,
        }).setView([50, 5], 4);
        this.map.attributionControl.addAttribution('Coastlines: Natural Earth (world-atlas)');
        this.cluster = L.markerClusterGroup({
            disableClusteringAtZoom: 8,
            maxClusterRadius: 45,
            chunkedLoading: true,
            showCoverageOnHover: false,
        });
        this.map.addLayer(this.cluster);
        this.addLegend();
        this.map.on('moveend', () => void this.reload());
    }

    async loadCoastlines(): Promise<void> {
        const topology = (await (
            await fetch(new URL('dashboard/land-50m.json', document.baseURI))
        ).json()) as Topology<{ land: GeometryCollection }>;
        L.geoJSON(feature(topology, topology.objects.land), {
            style: { color: '#8a8f7a', weight: 0.8, fillColor: '#e8e4d8', fillOpacity: 1 },
            interactive: false,
        }).addTo(this.map);
    }

    private addLegend(): void {
        const legend = new L.Control({ position: 'bottomleft' });
        legend.onAdd = () => {
            const div = L.DomUtil.create('div', 'legend');
            div.innerHTML = [...Object.entries(CATEGORY_COLOURS), ['unknown', UNKNOWN_COLOUR] as const]
                .map(([name, colour]) => `<span><i style="background:${colour}"></i>${esc(name)}</span>`)
                .join('');
            return div;
        };
        legend.addTo(this.map);
    }

    start(): void {
        void this.reload();
        this.timer = window.setInterval(() => void this.reload(), REFRESH_MS);
    }

    stop(): void {
        if (this.timer !== undefined) window.clearInterval(this.timer);
    }

    get vesselCount(): number {
        return this.entries.size;
    }

    vessel(mmsi: number): Vessel | undefined {
        return this.entries.get(mmsi)?.vessel;
    }

    private bboxParam(): string {
        const b = this.map.getBounds().pad(0.1);
        const clamp = (v: number, lo: number, hi: number): number => Math.min(hi, Math.max(lo, v));
        let west = b.getWest();
        let east = b.getEast();
        if (east - west >= 360) {
            west = -180;
            east = 180;
        }
        // Wrap the view into -180..180; a view across the antimeridian asks for the whole longitude range.
        const w = ((((west + 180) % 360) + 360) % 360) - 180;
        const e = w + (east - west);
        const [minLon, maxLon] = e > 180 ? [-180, 180] : [w, e];
        return [
            clamp(minLon, -180, 180),
            clamp(b.getSouth(), -90, 90),
            clamp(maxLon, -180, 180),
            clamp(b.getNorth(), -90, 90),
        ]
            .map((x) => x.toFixed(4))
            .join(',');
    }

    /** Queries the vessels inside the view (bbox) and updates the markers in place. */
    async reload(): Promise<void> {
        if (this.loading) {
            this.reloadAgain = true;
            return;
        }
        this.loading = true;
        try {
            const vessels = await getAllPages<Vessel>(`vessels?bbox=${this.bboxParam()}&limit=1000`);
            this.apply(vessels);
            this.onUpdate(this.entries.size, Date.now());
        } catch (error) {
            this.onError(error);
        } finally {
            this.loading = false;
            if (this.reloadAgain) {
                this.reloadAgain = false;
                void this.reload();
            }
        }
    }

    private apply(vessels: Vessel[]): void {
        const seen = new Set<number>();
        const toAdd: L.Marker[] = [];
        const toRemove: L.Marker[] = [];
        for (const v of vessels) {
            if (!v.position) continue;
            seen.add(v.mmsi);
            const selected = v.mmsi === this.selected;
            const key = iconKey(v, selected);
            const entry = this.entries.get(v.mmsi);
            if (!entry) {
                const marker = L.marker([v.position.lat, v.position.lon], {
                    icon: arrowIcon(v, selected),
                    title: v.static?.name ?? String(v.mmsi),
                });
                marker.on('click', () => this.onSelect(v.mmsi));
                this.entries.set(v.mmsi, { marker, vessel: v, key });
                toAdd.push(marker);
                continue;
            }
            const moved =
                entry.vessel.position?.lat !== v.position.lat ||
                entry.vessel.position?.lon !== v.position.lon;
            entry.vessel = v;
            if (moved) {
                // Marker clusters do not follow setLatLng: take the marker out and put it back.
                toRemove.push(entry.marker);
                entry.marker.setLatLng([v.position.lat, v.position.lon]);
                toAdd.push(entry.marker);
            }
            if (entry.key !== key) {
                entry.marker.setIcon(arrowIcon(v, selected));
                entry.key = key;
            }
        }
        for (const [mmsi, entry] of this.entries) {
            if (!seen.has(mmsi) && mmsi !== this.selected) {
                toRemove.push(entry.marker);
                this.entries.delete(mmsi);
            }
        }
        if (toRemove.length > 0) this.cluster.removeLayers(toRemove);
        if (toAdd.length > 0) this.cluster.addLayers(toAdd);
    }

    /** Highlights a vessel and draws its track for the last `hours`. */
    async select(vessel: Vessel, hours = 6): Promise<TrackPoint[]> {
        const previous = this.selected;
        this.selected = vessel.mmsi;
        for (const mmsi of [previous, vessel.mmsi]) {
            const e = mmsi === undefined ? undefined : this.entries.get(mmsi);
            if (e) {
                e.key = iconKey(e.vessel, mmsi === this.selected);
                e.marker.setIcon(arrowIcon(e.vessel, mmsi === this.selected));
            }
        }
        const to = Date.now();
        const track = await getJson<{ points: TrackPoint[] }>(
            `vessels/${vessel.mmsi}/track?from=${to - hours * 3_600_000}&to=${to}`,
        );
        this.track?.remove();
        this.track = L.polyline(
            track.points.map((p) => [p.lat, p.lon] as [number, number]),
            {
                color: categoryColour(vessel.static?.shipCategory),
                weight: 3,
                opacity: 0.85,
                dashArray: '6 4',
                className: 'vessel-track',
            },
        ).addTo(this.map);
        return track.points;
    }

    clearSelection(): void {
        this.track?.remove();
        this.track = undefined;
        const e = this.selected === undefined ? undefined : this.entries.get(this.selected);
        this.selected = undefined;
        if (e) {
            e.key = iconKey(e.vessel, false);
            e.marker.setIcon(arrowIcon(e.vessel, false));
        }
    }

    flyTo(lat: number, lon: number, zoom = 8): void {
        this.map.flyTo([lat, lon], Math.max(zoom, this.map.getZoom()), { duration: 0.8 });
    }
}

export function vesselPanelHtml(v: Vessel, points: number): string {
    const s = v.static ?? {};
    const p = v.position;
    const rows: [string, string][] = [
        ['MMSI', String(v.mmsi)],
        ['Flag', v.flag ? `${v.flag}${v.flagCountry ? ` (${v.flagCountry})` : ''}` : '-'],
        ['Type', s.shipTypeText ?? s.shipCategory ?? '-'],
        ['Speed', p?.sog !== undefined ? `${fmtNumber(p.sog, 1)} kn` : '-'],
        ['Course', p?.cog !== undefined ? `${fmtNumber(p.cog, 0)}°` : '-'],
        ['Heading', p?.heading !== undefined ? `${fmtNumber(p.heading, 0)}°` : '-'],
        ['Status', p?.navStatusText ?? '-'],
        ['Destination', s.destination ?? '-'],
        ['Last seen', `${fmtTime(v.lastSeen)} (${ago(v.lastSeen)})`],
        ['Track', `${points} fixes, last 6 h`],
    ];
    return `<div class="panel-head"><h2 class="vessel-name">${esc(s.name ?? `MMSI ${v.mmsi}`)}</h2><button type="button" class="close" data-close aria-label="Close">×</button></div>
<dl class="facts">${rows.map(([k, val]) => `<dt>${esc(k)}</dt><dd data-field="${esc(k.toLowerCase().replace(' ', '-'))}">${esc(val)}</dd>`).join('')}</dl>
<a class="vessel-link" href="dashboard#/vessel/${v.mmsi}">Vessel page →</a>`;
}
