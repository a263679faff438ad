/**
 * `npm install` prints no EBADENGINE warning on the Node versions the README and package.json name: every package
 * in the lockfile that declares `engines.node` must accept the lowest release of each Node line we support (the
 * machines' Node 20, Azure's Node 22) and the Node running the tests. This is what caught
 * `@azure/monitor-opentelemetry` >= 1.19 (Node >= 22 only) reaching us through `applicationinsights` 3.16.
 */
import { readFileSync } from 'node:fs';

import { describe, expect, it } from '@jest/globals';
import semver from 'semver';

interface LockPackage {
    version?: string;
    engines?: { node?: string } | string[];
    hasInstallScript?: boolean;
}

const pkg = JSON.parse(readFileSync('package.json', 'utf8')) as {
    engines: { node: string };
    allowScripts?: Record<string, boolean>;
};
const lock = JSON.parse(readFileSync('package-lock.json', 'utf8')) as {
    packages: Record<string, LockPackage>;
};

/** The lowest version of each major line (20, 22) the `engines.node` range of package.json admits. */
function supportedMinimums(range: string): string[] {
    const alternatives = new semver.Range(range).set.map((comparators) =>
        comparators.map((c) => c.value).join(' '),
    );
    return [20, 22].map((major) => {
        const mins = alternatives
            .map((alt) => semver.minVersion(`${alt} ^${major}.0.0`.trim()))
            .filter((v): v is semver.SemVer => v !== null && v.major === major && semver.satisfies(v, range));
        if (mins.length === 0) throw new Error(`engines.node '${range}' does not admit Node ${major}`);
        return mins.sort(semver.compare)[0]!.version;
    });
}

describe('Node engines', () => {
    it('package.json admits Node 20 (these machines) and Node 22 (Azure Flex Consumption)', () => {
        expect(supportedMinimums(pkg.engines.node)).toEqual(['20.19.0', '22.13.0']);
        expect(semver.satisfies(process.version, pkg.engines.node)).toBe(true);
    });

    it('every locked package accepts those Node versions and the current one (no EBADENGINE on npm install)', () => {
        const versions = [...supportedMinimums(pkg.engines.node), semver.clean(process.version)!];
        const refused: string[] = [];
        for (const [path, entry] of Object.entries(lock.packages)) {
            const range = Array.isArray(entry.engines) ? undefined : entry.engines?.node;
            if (path === '' || range === undefined) continue;
            for (const v of versions) {
                if (!semver.satisfies(v, range))
                    refused.push(`${path}@${entry.version ?? '?'} needs node ${range}, refuses ${v}`);
            }
        }
        expect(refused).toEqual([]);
    });

    it('the lockfile holds the pinned Azure Monitor packages (the last ones that support Node 20)', () => {
        const version = (name: string) => lock.packages[`node_modules/${name}`]?.version;
        expect(version('@azure/monitor-opentelemetry')).toBe('1.18.0');
        expect(version('@azure/monitor-opentelemetry-exporter')).toBe('1.0.0-beta.41');
    });

    it('every locked package with an install script is reviewed in allowScripts (npm 12 blocks unreviewed ones)', () => {
        const unreviewed = new Set<string>();
        for (const [path, entry] of Object.entries(lock.packages)) {
            if (entry.hasInstallScript !== true || path === '') continue;
            const name = path.slice(path.lastIndexOf('node_modules/') + 'node_modules/'.length);
            if (pkg.allowScripts?.[name] === undefined) unreviewed.add(name);
        }
        expect([...unreviewed]).toEqual([]);
    });
});
