/**
 * The alert feed: newest first, coloured by severity, filtered by kind; compliance findings (issue 12's
 * `/api/compliance/findings`) show under their own kind once that endpoint exists.
 */
import { type Alert, getJson, getOptional } from './api.js';
import { ago, esc, fmtNumber, SEVERITY_COLOURS, text } from './format.js';

const REFRESH_MS = 5000;

export interface FeedItem {
    id: string;
    kind: string;
    severity: string;
    mmsi: number;
    time: number;
    position?: { lat: number; lon: number };
    text: string;
}

function describe(a: Alert): string {
    const d = a.details;
    switch (a.kind) {
        case 'collision-risk':
            return `CPA ${fmtNumber(d.cpaNm as number, 2)} NM in ${fmtNumber(d.tcpaMin as number, 0)} min: ${a.vessels.join(' / ')}`;
        case 'zone-entry':
        case 'zone-exit':
            return `${a.kind === 'zone-entry' ? 'entered' : 'left'} ${text(d.zoneName ?? d.zone ?? d.zoneId)}`;
        case 'sensor-threshold':
            return `${text(d.quantity)} ${fmtNumber(d.value as number, 2)} ${text(d.unit)} (${text(d.direction)} ${fmtNumber(d.threshold as number, 2)})`;
        case 'sensor-anomaly':
            return `${text(d.quantity)} ${fmtNumber(d.value as number, 2)} ${text(d.unit)}, z = ${fmtNumber(d.z as number, 1)}`;
        default:
            return JSON.stringify(d).slice(0, 120);
    }
}

function fromAlert(a: Alert): FeedItem {
    return {
        id: a.id,
        kind: a.kind,
        severity: a.severity,
        mmsi: a.mmsi,
        time: a.time,
        ...(a.position ? { position: a.position } : {}),
        text: describe(a),
    };
}

interface Finding {
    id: string;
    check?: string;
    severity?: string;
    mmsi?: number;
    firstSeen?: number | string;
    lastSeen?: number | string;
    summary?: string;
    message?: string;
}

function fromFinding(f: Finding): FeedItem {
    const t = f.lastSeen ?? f.firstSeen;
    return {
        id: f.id,
        kind: 'compliance-finding',
        severity: f.severity ?? 'warning',
        mmsi: f.mmsi ?? 0,
        time: typeof t === 'string' ? Date.parse(t) : (t ?? 0),
        text: `${f.check ?? 'finding'}${f.summary || f.message ? `: ${f.summary ?? f.message}` : ''}`,
    };
}

export class AlertFeed {
    private kind = '';
    private timer: number | undefined;
    items: FeedItem[] = [];
    onClick: (item: FeedItem) => void = () => undefined;
    onError: (error: unknown) => void = () => undefined;

    constructor(
        private readonly list: HTMLOListElement,
        select: HTMLSelectElement,
    ) {
        select.addEventListener('change', () => {
            this.kind = select.value;
            void this.reload();
        });
        list.addEventListener('click', (event) => {
            const li = (event.target as HTMLElement).closest('li[data-id]');
            const item = this.items.find((i) => i.id === li?.getAttribute('data-id'));
            if (item) this.onClick(item);
        });
    }

    start(): void {
        void this.reload();
        this.timer = window.setInterval(() => void this.reload(), REFRESH_MS);
    }

    stop(): void {
        if (this.timer !== undefined) window.clearInterval(this.timer);
    }

    async reload(): Promise<void> {
        try {
            if (this.kind === 'compliance-finding') {
                const page = await getOptional<{ items: Finding[] }>('compliance/findings?limit=100');
                if (!page) {
                    this.items = [];
                    this.list.innerHTML =
                        '<li class="empty no-data">no data yet: compliance findings appear when /api/compliance/findings is deployed</li>';
                    return;
                }
                this.items = page.items.map(fromFinding);
            } else {
                const page = await getJson<{ items: Alert[] }>(
                    `alerts?limit=100${this.kind ? `&kind=${this.kind}` : ''}`,
                );
                this.items = page.items.map(fromAlert);
            }
            this.items.sort((a, b) => b.time - a.time);
            this.render();
        } catch (error) {
            this.onError(error);
        }
    }

    private render(): void {
        if (this.items.length === 0) {
            this.list.innerHTML = '<li class="empty">no alerts yet</li>';
            return;
        }
        const now = Date.now();
        this.list.innerHTML = this.items
            .map(
                (
                    i,
                ) => `<li data-id="${esc(i.id)}" data-time="${i.time}" class="alert sev-${esc(i.severity)}" style="border-left-color:${SEVERITY_COLOURS[i.severity] ?? '#999'}">
<div class="alert-top"><span class="sev">${esc(i.severity)}</span> <span class="kind">${esc(i.kind)}</span> <span class="when">${esc(ago(i.time, now))}</span></div>
<div class="alert-text">${i.mmsi ? `<b>${i.mmsi}</b> ` : ''}${esc(i.text)}</div></li>`,
            )
            .join('');
    }
}
