/** Small formatting helpers shared by the views. */
/** A detail value as text: strings and numbers as they are, anything else as JSON, nothing as ''. */
export function text(value: unknown): string {
    if (value === undefined || value === null) return '';
    if (typeof value === 'string') return value;
    if (typeof value === 'number' || typeof value === 'boolean') return String(value);
    return JSON.stringify(value);
}

export function esc(value: unknown): string {
    return text(value).replace(/[&<>"']/g, (c) => `&#${c.charCodeAt(0)};`);
}

export function fmtNumber(n: number | undefined | null, digits = 0): string {
    if (n === undefined || n === null || !Number.isFinite(n)) return '-';
    return n.toLocaleString('en-GB', { maximumFractionDigits: digits, minimumFractionDigits: 0 });
}

/** A UTC date-time, `YYYY-MM-DD HH:MM:SSZ`, from epoch milliseconds or an ISO string; '-' when absent or invalid. */
export function fmtTime(t: number | string | null | undefined): string {
    if (t === undefined || t === null || t === '') return '-';
    const ms = typeof t === 'number' ? t : Date.parse(t);
    if (!Number.isFinite(ms)) return '-';
    return new Date(ms).toISOString().replace('T', ' ').slice(0, 19) + 'Z';
}

/** A UTC date-time to the minute, `YYYY-MM-DD HH:MMZ` (tables of port calls and voyages). */
export function fmtMinute(t: number | string | null | undefined): string {
    const s = fmtTime(t);
    return s === '-' ? s : `${s.slice(0, 16)}Z`;
}

export function ago(t: number | undefined, now = Date.now()): string {
    if (t === undefined) return '-';
    const s = Math.max(0, Math.round((now - t) / 1000));
    if (s < 90) return `${s} s ago`;
    if (s < 5400) return `${Math.round(s / 60)} min ago`;
    if (s < 172_800) return `${Math.round(s / 3600)} h ago`;
    return `${Math.round(s / 86_400)} d ago`;
}

/** Colour per ship type category (shared/data/ship_types.tsv). */
export const CATEGORY_COLOURS: Record<string, string> = {
    cargo: '#2e7d32',
    tanker: '#c62828',
    passenger: '#1565c0',
    fishing: '#ef6c00',
    tug: '#6d4c41',
    'high-speed': '#ad1457',
    pleasure: '#7b1fa2',
    sar: '#f9a825',
    'military/law': '#37474f',
    other: '#00838f',
};
export const UNKNOWN_COLOUR = '#9e9e9e';

export function categoryColour(category: string | undefined): string {
    return (category && CATEGORY_COLOURS[category]) || UNKNOWN_COLOUR;
}

export const SEVERITY_COLOURS: Record<string, string> = {
    info: '#1e88e5',
    warning: '#fb8c00',
    critical: '#e53935',
};
