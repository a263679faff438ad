/**
 * `npm run test:faults`: the crash-recovery fault harness (issue 10 item 7). Replays a known real AIS file through
 * the local stack (`node bin/maritime.js replay` on the built dist/) twice on fresh data folders:
 *   - reference: one uninterrupted run;
 *   - faulted: the same replay, `kill -9` of the stack at a random point (seeded RNG) after it is up, restarted on
 *     the same data folder, N times (`--kills`), then a last run left to finish. Each restart re-sends the whole
 *     file (the local hub is in memory: what it held is gone with the process, as a producer would re-send), so the
 *     ingest must both re-drive bronze written after the last snapshot and absorb the re-sent events idempotently.
 * Then both data folders are opened (local/cliRuntime.ts: the saved lake and state snapshot) and compared: per MMSI
 * `lastSeen`, position and track point count (Cosmos-protocol server, through the SDK), silver row counts per table
 * (Parquet footers of every silver file), and alert documents. Prints a table; exits 1 on any difference.
 * `ingest_batches` (the record of each batch processed) is printed but not compared: a re-sent file is processed
 * in other batches, so its batch log differs by design.
 *
 *   node dist/bench/faults.js [--kills 3] [--seed 1] [--rate 4] [--file F]... [--keep DIR]
 */
import { type ChildProcess, execFileSync, spawn } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { parseArgs } from 'node:util';

import { parquetMetadata, parquetReadObjects } from 'hyparquet';

import { openCliRuntime } from '../local/cliRuntime.js';
import { Prng } from '../shared/domain/prng.js';

const ROOT = fileURLToPath(new URL('../../', import.meta.url));
const BIN = join(ROOT, 'bin/maritime.js');
const TESTDATA = '/work/shared/testdata/ais';

const { values } = parseArgs({
    options: {
        kills: { type: 'string', default: '3' },
        seed: { type: 'string', default: '1' },
        rate: { type: 'string', default: '4' },
        file: { type: 'string', multiple: true },
        keep: { type: 'string' },
    },
});
const kills = Number(values.kills);
const files = values.file ?? [join(TESTDATA, 'typeexamples.nmea'), join(TESTDATA, 'tagblock.nmea')];

/** Seeded, so a failing kill schedule can be run again. */
const random = Prng.fn(Number(values.seed));

interface Run {
    child: ChildProcess;
    output: () => string;
    up: Promise<number>;
    exit: Promise<number | null>;
}

function replay(dataDir: string): Run {
    const args = [
        BIN,
        'replay',
        ...files,
        '--data-dir',
        dataDir,
        '--port',
        '0',
        '--quiet',
        '--max-age-days',
        '10000',
        '--retry-scale',
        '0.01',
        '--rate',
        values.rate,
    ];
    const child = spawn(process.execPath, args, { cwd: ROOT, stdio: ['ignore', 'pipe', 'pipe'] });
    let text = '';
    let upAt: ((t: number) => void) | undefined;
    const up = new Promise<number>((r) => (upAt = r));
    const onData = (d: Buffer) => {
        text += d.toString();
        if (upAt && /local stack up/.test(text)) {
            upAt(Date.now());
            upAt = undefined;
        }
    };
    child.stdout.on('data', onData);
    child.stderr.on('data', onData);
    const exit = new Promise<number | null>((r) => child.once('exit', (code) => r(code)));
    return { child, output: () => text, up, exit };
}

function childPids(pid: number): number[] {
    try {
        return execFileSync('ps', ['-o', 'pid=', '--ppid', String(pid)], { encoding: 'utf8' })
            .split('\n')
            .map((s) => Number(s.trim()))
            .filter((n) => n > 0);
    } catch {
        return [];
    }
}
function alive(pid: number): boolean {
    try {
        process.kill(pid, 0);
        return true;
    } catch {
        return false;
    }
}
const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

function lastLines(text: string, n: number): string {
    return text.trim().split('\n').slice(-n).join('\n');
}

interface Figures {
    vessels: Map<number, { lastSeen: unknown; lat: unknown; lon: unknown; trackPoints: number }>;
    silver: Map<string, number>;
    /** Distinct rows per table, ignoring the lineage columns (`eh_*`, `ingest_time`): shows what extra rows are. */
    distinct: Map<string, Set<string>>;
    alerts: number;
}

async function figures(dataDir: string): Promise<Figures> {
    const cli = await openCliRuntime({ local: true, dataDir });
    try {
        const rt = cli.runtime;
        type VesselDoc = {
            mmsi: number;
            docType?: string;
            lastSeen?: unknown;
            position?: { lat?: unknown; lon?: unknown };
            points?: unknown[];
        };
        const docs = (await rt.container('vessels').items.query<VesselDoc>('SELECT * FROM c').fetchAll())
            .resources;
        const vessels: Figures['vessels'] = new Map();
        const entry = (mmsi: number) =>
            vessels.get(mmsi) ??
            vessels
                .set(mmsi, { lastSeen: undefined, lat: undefined, lon: undefined, trackPoints: 0 })
                .get(mmsi)!;
        for (const d of docs) {
            const v = entry(d.mmsi);
            if (d.docType === 'state')
                Object.assign(v, { lastSeen: d.lastSeen, lat: d.position?.lat, lon: d.position?.lon });
            else if (d.docType === 'track') v.trackPoints += d.points?.length ?? 0;
        }
        const alerts = (await rt.container('alerts').items.query('SELECT VALUE COUNT(1) FROM c').fetchAll())
            .resources[0] as number;
        const silver: Figures['silver'] = new Map();
        const distinct: Figures['distinct'] = new Map();
        for (const blob of await rt.lake.list('silver', '')) {
            if (!blob.path.endsWith('.parquet')) continue;
            const table = blob.path.split('/')[0]!;
            const bytes = await rt.lake.readBytes('silver', blob.path);
            silver.set(table, (silver.get(table) ?? 0) + Number(parquetMetadata(bytes).num_rows));
            const file = bytes.buffer.slice(
                bytes.byteOffset,
                bytes.byteOffset + bytes.byteLength,
            ) as ArrayBuffer;
            const keys = distinct.get(table) ?? distinct.set(table, new Set()).get(table)!;
            for (const row of (await parquetReadObjects({ file })) as Array<Record<string, unknown>>) {
                const content = Object.entries(row).filter(
                    ([k]) => !k.startsWith('eh_') && k !== 'ingest_time' && k !== 'recorded_at',
                );
                keys.add(
                    JSON.stringify(content, (_k, v: unknown) => (typeof v === 'bigint' ? v.toString() : v)),
                );
            }
        }
        return { vessels, silver, distinct, alerts };
    } finally {
        await cli.close();
    }
}

async function main(): Promise<number> {
    const base = values.keep ?? mkdtempSync(join(tmpdir(), 'maritime-faults-'));
    const refDir = join(base, 'reference');
    const faultDir = join(base, 'faulted');
    rmSync(refDir, { recursive: true, force: true });
    rmSync(faultDir, { recursive: true, force: true });
    process.stderr.write(
        `fault harness: files ${files.join(' ')}, kills ${kills}, seed ${values.seed}, rate ${values.rate}/s, data ${base}\n`,
    );

    const ref = replay(refDir);
    const refUp = await ref.up;
    const refCode = await ref.exit;
    const replayMs = Date.now() - refUp;
    process.stderr.write(
        `reference: exit ${refCode}, replay ${(replayMs / 1000).toFixed(1)} s after the stack was up\n${lastLines(ref.output(), 3)}\n`,
    );

    const killedAt: string[] = [];
    for (let i = 1; i <= kills; i++) {
        const run = replay(faultDir);
        const delay = Math.round(random() * replayMs);
        const up = await Promise.race([run.up, run.exit.then(() => undefined)]);
        if (up === undefined) {
            process.stderr.write(`restart ${i} exited before it was up:\n${lastLines(run.output(), 10)}\n`);
            return 1;
        }
        await Promise.race([sleep(delay), run.exit]);
        if (run.child.exitCode !== null) {
            killedAt.push(`#${i}: finished before ${delay} ms`);
        } else {
            const children = childPids(run.child.pid!);
            process.kill(run.child.pid!, 'SIGKILL');
            await run.exit;
            for (const deadline = Date.now() + 10_000; children.some(alive) && Date.now() < deadline;)
                await sleep(100);
            killedAt.push(`#${i}: kill -9 ${delay} ms after up`);
        }
        process.stderr.write(`${killedAt.at(-1)}\n`);
    }
    const last = replay(faultDir);
    const lastCode = await last.exit;
    process.stderr.write(`faulted, last run: exit ${lastCode}\n${lastLines(last.output(), 3)}\n`);

    const [a, b] = [await figures(refDir), await figures(faultDir)];
    const rows: Array<[string, string, string, boolean]> = [];
    const add = (name: string, x: unknown, y: unknown, compared = true) =>
        rows.push([name, String(x), String(y), !compared || JSON.stringify(x) === JSON.stringify(y)]);
    add('exit code', refCode, lastCode);
    add('vessels (MMSIs)', a.vessels.size, b.vessels.size);
    const sum = (f: Figures) => [...f.vessels.values()].reduce((s, v) => s + v.trackPoints, 0);
    add('track points', sum(a), sum(b));
    add('alerts', a.alerts, b.alerts);
    for (const t of [...new Set([...a.silver.keys(), ...b.silver.keys()])].sort())
        add(`silver ${t} rows`, a.silver.get(t) ?? 0, b.silver.get(t) ?? 0, t !== 'ingest_batches');
    for (const t of [...new Set([...a.distinct.keys(), ...b.distinct.keys()])].sort()) {
        if (t !== 'ingest_batches')
            add(
                `  (informational) ${t} distinct rows without eh_*/ingest_time`,
                a.distinct.get(t)?.size ?? 0,
                b.distinct.get(t)?.size ?? 0,
                false,
            );
    }
    let vesselDiffs = 0;
    for (const mmsi of [...new Set([...a.vessels.keys(), ...b.vessels.keys()])].sort((x, y) => x - y)) {
        const x = a.vessels.get(mmsi);
        const y = b.vessels.get(mmsi);
        if (JSON.stringify(x) !== JSON.stringify(y)) {
            vesselDiffs++;
            add(`vessel ${mmsi}`, JSON.stringify(x), JSON.stringify(y));
        }
    }
    add('vessels differing (lastSeen/position/track points)', 0, vesselDiffs);

    const w = Math.max(...rows.map((r) => r[0].length));
    process.stdout.write(`\n${'figure'.padEnd(w)} | uninterrupted | after ${kills} kill(s) | equal\n`);
    for (const [name, x, y, ok] of rows)
        process.stdout.write(`${name.padEnd(w)} | ${x} | ${y} | ${ok ? 'yes' : 'NO'}\n`);
    process.stdout.write(`kills: ${killedAt.join('; ')}\n`);
    const failed = rows.filter((r) => !r[3]).length;
    process.stdout.write(
        failed === 0
            ? 'fault harness: state, silver and alerts equal\n'
            : `fault harness: ${failed} difference(s)\n`,
    );
    if (!values.keep) rmSync(base, { recursive: true, force: true });
    return failed === 0 ? 0 : 1;
}

main().then(
    (code) => process.exit(code),
    (error: unknown) => {
        process.stderr.write(`${error instanceof Error ? (error.stack ?? error.message) : String(error)}\n`);
        process.exit(1);
    },
);
