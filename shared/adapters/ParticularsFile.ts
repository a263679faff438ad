/**
 * Reads the user's vessel particulars CSV named by `VESSEL_PARTICULARS_PATH` and parses it with the domain parser
 * (shared/domain/emissions/particulars.ts). The path is a local file (relative to the working directory), or
 * `lake:<container>/<blob path>` for a CSV uploaded to the lake (the form to use in Azure). The parsed table is
 * kept for `ttlMs` (default 10 minutes), so a timer run reads the file once and an edited file is picked up.
 */
import { readFile } from 'node:fs/promises';

import type { LakeContainer, LakeReader } from '../app/ports.js';
import { LAKE_CONTAINERS } from '../config/settingNames.js';
import {
    parseParticularsCsv,
    type ParticularsParseError,
    type ParticularsTable,
} from '../domain/emissions/particulars.js';

export interface LoadedParticulars {
    /** Undefined when no path is configured: every vessel's particulars are then estimated. */
    table: ParticularsTable | undefined;
    /** Bad cells of the file (line, field, message); the rest of the file is used. */
    errors: ParticularsParseError[];
    path: string | undefined;
}

export class ParticularsFile {
    #cached: { at: number; value: Promise<LoadedParticulars> } | undefined;

    constructor(
        private readonly path: string | undefined,
        private readonly lake?: Pick<LakeReader, 'readBytes'>,
        private readonly ttlMs = 10 * 60_000,
        private readonly now: () => number = Date.now,
    ) {}

    /** The parsed table (cached). Throws when a configured file cannot be read. */
    load(): Promise<LoadedParticulars> {
        const t = this.now();
        if (this.#cached === undefined || t - this.#cached.at >= this.ttlMs) {
            const value = this.#read();
            this.#cached = { at: t, value };
            // a failed read is not cached: the next call tries again
            value.catch(() => {
                if (this.#cached?.value === value) this.#cached = undefined;
            });
        }
        return this.#cached.value;
    }

    async #read(): Promise<LoadedParticulars> {
        const path = this.path?.trim();
        if (path === undefined || path === '') return { table: undefined, errors: [], path: undefined };
        let text: string;
        try {
            text = await this.#text(path);
        } catch (e) {
            throw new Error(
                `VESSEL_PARTICULARS_PATH: cannot read ${path}: ${e instanceof Error ? e.message : String(e)}`,
                {
                    cause: e,
                },
            );
        }
        const { table, errors } = parseParticularsCsv(text);
        return { table, errors, path };
    }

    async #text(path: string): Promise<string> {
        if (!path.startsWith('lake:')) return readFile(path, 'utf8');
        const rest = path.slice('lake:'.length);
        const slash = rest.indexOf('/');
        const container = rest.slice(0, slash) as LakeContainer;
        if (slash <= 0 || !(LAKE_CONTAINERS as readonly string[]).includes(container))
            throw new Error(`expected lake:<${LAKE_CONTAINERS.join('|')}>/<path>`);
        if (this.lake === undefined) throw new Error('no lake client given');
        return new TextDecoder().decode(await this.lake.readBytes(container, rest.slice(slash + 1)));
    }
}
