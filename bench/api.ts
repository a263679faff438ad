/**
 * `npm run bench:api`: HTTP latency of the read endpoints against the stack `npm start` runs, measured from
 * outside: the stack runs as its own process (`maritime start --port 0 --in-memory`, simulator on, so the
 * reads compete with ingest as they do in use), and autocannon drives it from this process. Prints p50, p95
 * and p99 (from every response time autocannon reports) and requests per second per endpoint. Target: p95
 * under 50 ms for the point reads. Figures only: it never fails on speed (shared machines are noisy).
 *
 * The stack serves HTTP from its own worker thread (local/httpWorker.ts); BENCH_API_HTTP=both also measures the
 * same stack with `--http-inline` (HTTP on the ingest's event loop, as before) right after, for the ratio.
 *
 * Options (environment): BENCH_API_SECONDS (per endpoint, default 10), BENCH_API_CONNECTIONS (default 10),
 * BENCH_API_VESSELS (fleet size, default 1000), BENCH_API_RATE (AIS events/s, default 200), BENCH_API_HTTP
 * (`thread`, the default; `inline`; or `both`).
 */
import { type ChildProcess, spawn } from 'node:child_process';
import { once } from 'node:events';
import { cpus, loadavg } from 'node:os';
import { fileURLToPath } from 'node:url';

import autocannon from 'autocannon';

import { stackApiBase } from './lib/child.js';

const SECONDS = Number(process.env.BENCH_API_SECONDS ?? 10);
const CONNECTIONS = Number(process.env.BENCH_API_CONNECTIONS ?? 10);
const VESSELS = Number(process.env.BENCH_API_VESSELS ?? 1000);
const RATE = Number(process.env.BENCH_API_RATE ?? 200);
const HTTP_MODES = ({ thread: ['thread'], inline: ['inline'], both: ['thread', 'inline'] } as const)[
    process.env.BENCH_API_HTTP ?? 'thread'
];
type HttpMode = 'thread' | 'inline';

interface Row {
    name: string;
    requests: number;
    rps: number;
    p50: number;
    p95: number;
    p99: number;
    errors: number;
}

function percentile(sorted: number[], p: number): number {
    return (
        sorted[Math.min(sorted.length - 1, Math.max(0, Math.ceil((p / 100) * sorted.length) - 1))] ??
        Number.NaN
    );
}

async function startStack(mode: HttpMode): Promise<{ child: ChildProcess; base: string }> {
    const bin = fileURLToPath(new URL('../../bin/maritime.js', import.meta.url));
    const args = [
        bin,
        'start',
        '--port',
        '0',
        '--in-memory',
        '--quiet',
        '--vessels',
        String(VESSELS),
        '--rate',
        String(RATE),
        ...(mode === 'inline' ? ['--http-inline'] : []),
    ];
    const child = spawn(process.execPath, args, {
        stdio: ['ignore', 'ignore', 'pipe'],
    });
    const base = await stackApiBase(child);
    return { child, base };
}

async function json<T>(url: string): Promise<T> {
    const res = await fetch(url);
    if (!res.ok) throw new Error(`${url}: ${res.status}`);
    return (await res.json()) as T;
}

async function run(name: string, base: string, paths: string[]): Promise<Row> {
    const times: number[] = [];
    let i = 0;
    const url = new URL(base);
    const instance = autocannon({
        url: url.origin,
        connections: CONNECTIONS,
        duration: SECONDS,
        requests: [{ method: 'GET', setupRequest: (req) => ({ ...req, path: paths[i++ % paths.length] }) }],
    });
    (instance as unknown as NodeJS.EventEmitter).on(
        'response',
        (_client: unknown, _status: number, _bytes: number, responseTime: number) => {
            times.push(responseTime);
        },
    );
    const [result] = (await once(instance as unknown as NodeJS.EventEmitter, 'done')) as [autocannon.Result];
    times.sort((a, b) => a - b);
    return {
        name,
        requests: result.requests.total,
        rps: result.requests.average,
        p50: percentile(times, 50),
        p95: percentile(times, 95),
        p99: percentile(times, 99),
        errors: result.non2xx + result.errors + result.timeouts,
    };
}

async function main(): Promise<void> {
    if (HTTP_MODES === undefined)
        throw new Error(`BENCH_API_HTTP must be thread, inline or both; got '${process.env.BENCH_API_HTTP}'`);
    process.stdout.write(
        `bench:api: ${cpus().length} CPUs, load average ${loadavg()
            .map((l) => l.toFixed(1))
            .join(' ')} (a shared machine: compare ratios, not absolutes)\n`,
    );
    const results = new Map<HttpMode, Row[]>();
    for (const mode of HTTP_MODES) results.set(mode, await measure(mode));
    const thread = results.get('thread');
    const inline = results.get('inline');
    if (thread && inline) {
        process.stdout.write(`\np95 inline / thread (same machine, one after the other):\n`);
        for (const r of thread) {
            const i = inline.find((x) => x.name === r.name);
            if (i)
                process.stdout.write(
                    `  ${r.name.padEnd(32)} ${i.p95.toFixed(1)} ms / ${r.p95.toFixed(1)} ms = ${(i.p95 / r.p95).toFixed(1)}x\n`,
                );
        }
    }
}

/** One stack, HTTP served as `mode` says: the table of the endpoints. */
async function measure(mode: HttpMode): Promise<Row[]> {
    const { child, base } = await startStack(mode);
    try {
        process.stdout.write(
            `\nstack at ${base}, HTTP ${mode === 'thread' ? 'on its own thread' : 'on the ingest event loop (--http-inline)'} (simulator: ${VESSELS} vessels, ${RATE} AIS events/s + sensor readings, ingest running during the measurements)\n`,
        );
        // Warm up: wait until most of the fleet is in the vessel state.
        const started = Date.now();
        let vessels: { mmsi: number; position?: unknown }[] = [];
        while (Date.now() - started < 90_000) {
            let continuation: string | undefined;
            vessels = [];
            do {
                const page: { items: { mmsi: number; position?: unknown }[]; continuation?: string } =
                    await json(
                        `${base}/vessels?limit=1000${continuation ? `&continuation=${encodeURIComponent(continuation)}` : ''}`,
                    );
                vessels.push(...page.items);
                continuation = page.continuation;
            } while (continuation);
            if (vessels.length >= VESSELS * 0.8) break;
            await new Promise((r) => setTimeout(r, 2000));
        }
        const mmsis = vessels
            .filter((v) => v.position)
            .map((v) => v.mmsi)
            .slice(0, 500);
        const alerts = await json<{ items: unknown[] }>(`${base}/alerts?limit=100`);
        const track = await json<{ points: unknown[] }>(`${base}/vessels/${mmsis[0]}/track`);
        process.stdout.write(
            `warm: ${vessels.length} vessels in the state after ${((Date.now() - started) / 1000).toFixed(0)} s, ${alerts.items.length} alerts on the first page, ${track.points.length} track points for one vessel\n`,
        );
        process.stdout.write(
            `autocannon: ${CONNECTIONS} connections, ${SECONDS} s per endpoint; point reads rotate over ${mmsis.length} vessels\n\n`,
        );

        const rows: Row[] = [];
        rows.push(await run('/api/vessels?limit=100', base, ['/api/vessels?limit=100']));
        rows.push(
            await run(
                '/api/vessels/{mmsi}',
                base,
                mmsis.map((m) => `/api/vessels/${m}`),
            ),
        );
        rows.push(
            await run(
                '/api/vessels/{mmsi}/track',
                base,
                mmsis.map((m) => `/api/vessels/${m}/track`),
            ),
        );
        rows.push(await run('/api/alerts', base, ['/api/alerts']));
        rows.push(await run('/api/health (anonymous probe)', base, ['/api/health']));

        const pad = (s: string, n: number): string => s.padEnd(n);
        const num = (n: number, d = 1): string => n.toFixed(d).padStart(8);
        process.stdout.write(
            `${pad('endpoint', 32)}${'req/s'.padStart(8)}${'p50 ms'.padStart(8)}${'p95 ms'.padStart(8)}${'p99 ms'.padStart(8)}${'errors'.padStart(8)}\n`,
        );
        for (const r of rows)
            process.stdout.write(
                `${pad(r.name, 32)}${num(r.rps, 0)}${num(r.p50)}${num(r.p95)}${num(r.p99)}${String(r.errors).padStart(8)}\n`,
            );
        const point = rows.filter((r) => r.name.startsWith('/api/vessels/{mmsi}'));
        process.stdout.write(
            `\npoint reads p95: ${point.map((r) => `${r.name} ${r.p95.toFixed(1)} ms`).join(', ')} (target < 50 ms: ${point.every((r) => r.p95 < 50) ? 'met' : 'NOT met'} on this run)\n`,
        );
        process.stdout.write(
            `load average after: ${loadavg()
                .map((l) => l.toFixed(1))
                .join(' ')}\n`,
        );
        return rows;
    } finally {
        child.kill('SIGINT');
        await Promise.race([once(child, 'exit'), new Promise((r) => setTimeout(r, 15_000))]);
        if (child.exitCode === null) child.kill('SIGKILL');
    }
}

main().catch((error: unknown) => {
    process.stderr.write(`${error instanceof Error ? (error.stack ?? error.message) : String(error)}\n`);
    process.exit(1);
});
