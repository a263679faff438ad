/**
 * The port list the compliance checks use ("in port", "distance from the nearest port"): `local/data/ports.tsv`
 * (UN/LOCODE, name, country, lat, lon, source: a copy of the team reference table, each row with its source), read
 * once. Deployed with the app (`.funcignore` keeps `local/data/`). A missing file gives an empty list: every silence
 * then counts as at sea, which the caller logs.
 */
import { existsSync, readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';

import type { PortLocation } from '../domain/compliance/inputs.js';

/** `local/data/ports.tsv` from the sources (`shared/adapters/`) or the build output (`dist/shared/adapters/`). */
export function defaultPortsFile(): string {
    const candidates = ['../../local/data/ports.tsv', '../../../local/data/ports.tsv'].map((rel) =>
        fileURLToPath(new URL(rel, import.meta.url)),
    );
    return candidates.find((p) => existsSync(p)) ?? candidates[0]!;
}

export function loadPorts(path: string = defaultPortsFile()): PortLocation[] {
    if (!existsSync(path)) return [];
    const ports: PortLocation[] = [];
    for (const line of readFileSync(path, 'utf8').split(/\r?\n/).slice(1)) {
        if (line.trim() === '' || line.startsWith('#')) continue;
        const [locode, name, , lat, lon] = line.split('\t');
        const la = Number(lat);
        const lo = Number(lon);
        if (!locode || !name || !Number.isFinite(la) || !Number.isFinite(lo)) continue;
        ports.push({ locode, name, lat: la, lon: lo });
    }
    return ports;
}
