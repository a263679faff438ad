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

export function fmtTime(t: number | undefined): string {
    if (t === undefined) return '-';
    return new Date(t).toISOString().replace('T', ' ').slice(0, 19) + 'Z';
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

export const SEVERITY_COLOURS: Record<string, string> = { info: '#1e88e5', warning: '#fb8c00', critical: '#e53935' };

/** First numeric value among candidate field names (gold/compliance shapes vary while they are built). */
export function pick(obj: unknown, ...names: string[]): number | undefined {
    if (!obj || typeof obj !== 'object') return undefined;
    const o = obj as Record<string, unknown>;
    for (const n of names) {
        const v = o[n];
        if (typeof v === 'number' && Number.isFinite(v)) return v;
    }
    return undefined;
}
