/**
 * Every path a Cosmos DB store's queries filter or sort on is indexed in the container the runtime gives that
 * store (COSMOS_INDEXING, which Bicep and the local creation share: test/infra/parity.test.ts). Cosmos DB answers a
 * filter on an excluded path by loading and scanning documents (RU on every query), and refuses an ORDER BY on
 * one; the local Cosmos-protocol server indexes nothing, so only a check of the query text finds it.
 */
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';

import { describe, expect, it } from '@jest/globals';

import { COSMOS_INDEXING, type CosmosIndexingPolicy } from '../../../shared/config/cosmosIndexing.js';
import type { CosmosContainerName } from '../../../shared/config/settingNames.js';
import { ROOT } from '../../helpers/builtCli.js';
import { expectWith } from '../../helpers/expectWith.js';

const ADAPTERS = join(ROOT, 'shared', 'adapters');

/** Store class -> container, from the runtime's `new CosmosXStore(this.container('name'))`. */
function containersByStore(): Map<string, CosmosContainerName> {
    const runtime = readFileSync(join(ROOT, 'functions', 'runtime.ts'), 'utf8');
    const out = new Map<string, CosmosContainerName>();
    for (const m of runtime.matchAll(/new (Cosmos\w+Store)\(this\.container\('(\w+)'\)/g))
        out.set(m[1]!, m[2] as CosmosContainerName);
    return out;
}

/**
 * The document paths (`position/lat`) a source's query text filters or sorts on: `c.a.b` and `c["a"]` in its string
 * literals, after WHERE in a full `SELECT` (its projection is not filtered on), anywhere in a query fragment.
 */
export function queriedPaths(source: string): Set<string> {
    const literals = source.match(/'(?:[^'\\\n]|\\.)*'|"(?:[^"\\\n]|\\.)*"|`(?:[^`\\]|\\.)*`/g) ?? [];
    const paths = new Set<string>();
    for (const literal of literals) {
        const where = /^.SELECT\b/i.test(literal) ? literal.replace(/^.*?\bWHERE\b/is, '') : literal;
        if (/^.SELECT\b/i.test(literal) && where === literal) continue; // no WHERE: nothing filtered
        for (const m of where.matchAll(/\bc((?:\.[A-Za-z_]\w*|\[\\?"[A-Za-z_]\w*\\?"\])+)/g))
            paths.add(
                m[1]!
                    .replace(/\[\\?"(\w+)\\?"\]/g, '.$1')
                    .slice(1)
                    .replace(/\./g, '/'),
            );
    }
    return paths;
}

function isIndexed(policy: CosmosIndexingPolicy, path: string): boolean {
    return policy.includedPaths.some(
        ({ path: p }) => p === `/${path}/?` || (p.endsWith('/*') && `/${path}/`.startsWith(p.slice(0, -1))),
    );
}

describe('COSMOS_INDEXING', () => {
    const stores = containersByStore();
    const files = readdirSync(ADAPTERS).filter((f) => /^Cosmos\w+Store\.ts$/.test(f));

    it('finds every Cosmos store, each with its container', () => {
        expect([...stores.keys()].sort()).toEqual(files.map((f) => f.replace(/\.ts$/, '')).sort());
    });

    it.each(files)('%s: every path its queries filter or sort on is indexed in its container', (file) => {
        const container = stores.get(file.replace(/\.ts$/, '')) as CosmosContainerName;
        const paths = [...queriedPaths(readFileSync(join(ADAPTERS, file), 'utf8'))];
        expect(paths.length).toBeGreaterThan(0);
        for (const path of paths)
            expectWith(isIndexed(COSMOS_INDEXING[container], path), `${container}: /${path}/?`).toBe(true);
    });
});

describe('queriedPaths', () => {
    it('reads filters and sorts, nested and bracketed paths and query fragments; not the projection', () => {
        const source = [
            `const a = 'SELECT c.points, c.id FROM c WHERE c.mmsi = @m AND c.position.lat > 1 ORDER BY c.lastSeen DESC';`,
            `const b = "SELECT c.id FROM c WHERE c[\\"table\\"] = @t AND ARRAY_CONTAINS(@ids, c.id)";`,
            `where.push('c.day >= @fromDay');`,
            `const c = 'SELECT VALUE COUNT(1) FROM c';`,
            `for (const c of list) c.name;`,
        ].join('\n');
        expect([...queriedPaths(source)].sort()).toEqual([
            'day',
            'id',
            'lastSeen',
            'mmsi',
            'position/lat',
            'table',
        ]);
    });
});
