/**
 * `/api/health`: the pipeline's freshness per lake layer and whether its dependencies answer, at a cost and latency
 * that do not depend on the lake's size or on how often the route is called.
 *
 * A probe reads the watermarks the ingest functions write (shared/app/watermarks.ts: one listing of a few tiny blobs)
 * and does one Cosmos DB point read, each bounded by a timeout. The route does not probe on every call: a
 * `HealthMonitor` (one per runtime, so one per instance in Azure and per HTTP thread locally) answers from its last
 * probe, refreshing it in the background when it is older than `refreshMs`, and waits for a new probe only when the
 * last one is older than `maxAgeMs` (the first call, or a call after a quiet spell). So:
 * - an answer never rests on a probe older than `maxAgeMs` (30 s), and says how old its probe is (`checkedAt`,
 *   `checkAgeMs`);
 * - with calls at least every `refreshMs` (5 s), a dependency that stops answering shows as `unavailable` (503)
 *   within `refreshMs + timeoutMs` (6 s), and a recovered one as available within the same bound;
 * - probes cost at most one per call and at most one per `refreshMs`, however many calls arrive;
 * - at most one request per dependency is outstanding: a dependency that hangs is not asked again until its request
 *   settles (the SDK's own timeout), and meanwhile reports `unavailable` with the time it has been waiting.
 * Layer ages and the `stale` status are computed at answer time from the watermarks' times.
 */
import type { BlobInfo, LakeReader, VesselStateStore } from './ports.js';
import { parseWatermarkPath, WATERMARK_CONTAINER, WATERMARK_LAYERS, WATERMARK_PREFIX } from './watermarks.js';

export interface LayerHealth {
    /** Last batch written to this layer (the newest watermark), epoch ms. */
    lastWrite?: number;
    ageSeconds?: number;
    /** The same per source (`ais`, `sensors`). */
    sources: Record<string, { lastWrite: number; ageSeconds: number }>;
}

export interface DependencyHealth {
    status: 'ok' | 'unavailable';
    /** How long the check took (or has been waiting, when it did not answer). */
    ms: number;
    error?: string;
}

export interface Health {
    /** `unavailable`: a dependency did not answer; `empty`: nothing ingested yet; `stale`: no bronze write for 15 min. */
    status: 'ok' | 'stale' | 'empty' | 'unavailable';
    /** When the probe this answer rests on started, epoch ms. */
    checkedAt: number;
    /** How old that probe was when this answer was given (at most `maxAgeMs`). */
    checkAgeMs: number;
    layers: Record<string, LayerHealth>;
    dependencies: { storage: DependencyHealth; cosmos: DependencyHealth };
}

export interface HealthDeps {
    lake: Pick<LakeReader, 'list'>;
    vessels: Pick<VesselStateStore, 'ping'>;
    now: () => number;
}

export interface HealthSettings {
    /** A call answered from a probe at least this old starts a new probe in the background. */
    refreshMs: number;
    /** A call never gets an answer from a probe older than this: it waits for a new one. */
    maxAgeMs: number;
    /** Each dependency check gives up after this long (`unavailable`). */
    timeoutMs: number;
    /** No bronze watermark newer than this: `stale`. */
    staleAfterMs: number;
}

export const DEFAULT_HEALTH_SETTINGS: HealthSettings = {
    refreshMs: 5_000,
    maxAgeMs: 30_000,
    timeoutMs: 1_000,
    staleAfterMs: 15 * 60_000,
};

/** What one probe saw: the watermark blobs (undefined when the listing failed) and each dependency's outcome. */
export interface HealthProbe {
    startedAt: number;
    watermarks: readonly BlobInfo[] | undefined;
    storage: DependencyHealth;
    cosmos: DependencyHealth;
}

/**
 * One dependency's check, bounded by a timeout, with at most one request outstanding: while an earlier request has
 * not settled, a new check waits on it (from its start) instead of sending another.
 */
class BoundedCheck<T> {
    #pending: { promise: Promise<T>; startedAt: number } | undefined;

    constructor(private readonly work: () => Promise<T>) {}

    async run(timeoutMs: number, now: () => number): Promise<{ value?: T; dep: DependencyHealth }> {
        if (this.#pending === undefined) {
            const promise = Promise.resolve().then(() => this.work());
            const pending = { promise, startedAt: now() };
            this.#pending = pending;
            const clear = (): void => {
                if (this.#pending === pending) this.#pending = undefined;
            };
            promise.then(clear, clear);
        }
        const { promise, startedAt } = this.#pending;
        let timer: NodeJS.Timeout | undefined;
        try {
            const value = await Promise.race([
                promise,
                new Promise<never>((_, reject) => {
                    const left = Math.max(0, startedAt + timeoutMs - now());
                    timer = setTimeout(() => reject(new Error(`no answer within ${timeoutMs} ms`)), left);
                }),
            ]);
            return { value, dep: { status: 'ok', ms: now() - startedAt } };
        } catch (error) {
            return {
                dep: {
                    status: 'unavailable',
                    ms: now() - startedAt,
                    error: error instanceof Error ? error.message : String(error),
                },
            };
        } finally {
            clearTimeout(timer);
        }
    }
}

/** The health answer at `now` from a probe: layer ages and staleness as of `now`. */
export function healthReport(probe: HealthProbe, now: number, staleAfterMs: number): Health {
    const layers: Record<string, LayerHealth> = {};
    for (const layer of WATERMARK_LAYERS) layers[layer] = { sources: {} };
    for (const blob of probe.watermarks ?? []) {
        const at = parseWatermarkPath(blob.path);
        if (at === undefined) continue;
        const health = layers[at.layer] as LayerHealth;
        const ageSeconds = Math.max(0, Math.round((now - blob.lastModified) / 1000));
        const known = health.sources[at.source];
        if (!known || blob.lastModified > known.lastWrite)
            health.sources[at.source] = { lastWrite: blob.lastModified, ageSeconds };
        if (health.lastWrite === undefined || blob.lastModified > health.lastWrite) {
            health.lastWrite = blob.lastModified;
            health.ageSeconds = ageSeconds;
        }
    }
    const bronze = layers.bronze?.lastWrite;
    const status: Health['status'] =
        probe.storage.status !== 'ok' || probe.cosmos.status !== 'ok'
            ? 'unavailable'
            : bronze === undefined
              ? 'empty'
              : now - bronze > staleAfterMs
                ? 'stale'
                : 'ok';
    return {
        status,
        checkedAt: probe.startedAt,
        checkAgeMs: Math.max(0, now - probe.startedAt),
        layers,
        dependencies: { storage: probe.storage, cosmos: probe.cosmos },
    };
}

/** Answers `/api/health` from a recent probe (see the module comment for the guarantees). */
export class HealthMonitor {
    readonly settings: HealthSettings;
    readonly #now: () => number;
    readonly #storage: BoundedCheck<readonly BlobInfo[]>;
    readonly #cosmos: BoundedCheck<void>;
    #last: HealthProbe | undefined;
    #running: Promise<HealthProbe> | undefined;
    #probes = 0;

    constructor(deps: HealthDeps, settings: Partial<HealthSettings> = {}) {
        this.settings = { ...DEFAULT_HEALTH_SETTINGS, ...settings };
        this.#now = deps.now;
        this.#storage = new BoundedCheck(() => deps.lake.list(WATERMARK_CONTAINER, WATERMARK_PREFIX));
        this.#cosmos = new BoundedCheck(() => deps.vessels.ping());
    }

    /** Probes started so far (for tests and benches: what the route cost). */
    get probes(): number {
        return this.#probes;
    }

    /** The health now: from the last probe when it is recent enough, else from a new one. */
    async report(): Promise<Health> {
        const last = this.#last;
        const age = last === undefined ? Infinity : this.#now() - last.startedAt;
        let probe: HealthProbe;
        if (last === undefined || age >= this.settings.maxAgeMs) {
            probe = await this.probe();
        } else {
            if (age >= this.settings.refreshMs) void this.probe();
            probe = last;
        }
        return healthReport(probe, this.#now(), this.settings.staleAfterMs);
    }

    /** Runs a probe, or joins the one running; settles within `timeoutMs` (plus scheduling). */
    probe(): Promise<HealthProbe> {
        this.#running ??= this.#probeOnce().finally(() => {
            this.#running = undefined;
        });
        return this.#running;
    }

    /** Settles when no probe is running (the one a call started in the background has finished). */
    async idle(): Promise<void> {
        await this.#running;
    }

    async #probeOnce(): Promise<HealthProbe> {
        this.#probes += 1;
        const startedAt = this.#now();
        const { timeoutMs } = this.settings;
        const [listing, cosmos] = await Promise.all([
            this.#storage.run(timeoutMs, this.#now),
            this.#cosmos.run(timeoutMs, this.#now),
        ]);
        const probe = { startedAt, watermarks: listing.value, storage: listing.dep, cosmos: cosmos.dep };
        if (this.#last === undefined || this.#last.startedAt <= startedAt) this.#last = probe;
        return probe;
    }
}

/** One probe and its answer, uncached (tools and tests; the route uses a `HealthMonitor`). */
export async function checkHealth(deps: HealthDeps, settings: Partial<HealthSettings> = {}): Promise<Health> {
    const monitor = new HealthMonitor(deps, settings);
    return healthReport(await monitor.probe(), deps.now(), monitor.settings.staleAfterMs);
}
