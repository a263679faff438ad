/**
 * The long-running local commands (`start`, `replay`, `rebuild`) run under glibc malloc settings that keep the
 * stack's native memory flat. glibc gives each thread that allocates under contention its own malloc arena (up to
 * 8 per core), and freed memory inside an arena stays resident: the stack's threads (the main thread, the local
 * Cosmos-protocol server's and the HTTP functions' worker threads, libuv's pool doing zlib and file I/O, V8's GC
 * helpers) each grew one, and a 30-minute soak at 500 events/s grew the process from 339 to 834 MB with the V8
 * heaps flat (`npm run soak`, README "Soak"). `MALLOC_ARENA_MAX=2` bounds the arenas.
 *
 * glibc reads these variables once, when the process starts, so the command starts itself again with them set:
 * the parent only waits. The child shares the terminal (stdin, stdout, stderr inherited; same process group, so
 * a terminal's Ctrl-C reaches it directly), its exit code or signal becomes the parent's, and a SIGINT or SIGTERM
 * sent to the parent alone (`kill PID`, a supervisor) is relayed over an IPC channel: `local/stopSignals.ts` counts
 * a signal from the terminal and its relay as one, so a single Ctrl-C is never taken for two. When the parent is
 * killed (kill -9) the channel closes and the child kills itself the same way, as a crash of the stack.
 *
 * Not done when MALLOC_ARENA_MAX is already set (0 = glibc's default: a way to opt out), off Linux or without glibc
 * (musl has no arenas), or under an inspector (the child would fight the parent for its port).
 */
import { constants } from 'node:os';

import { SEMI_SPACE_MB } from '../local/heapTrim.js';
import { type RelayedSignal } from '../local/stopSignals.js';

/** Set in the child's environment, so it knows its signals may also come relayed from the parent. */
export const REEXEC_MARKER = 'MARITIME_MALLOC_REEXEC';

/** The glibc settings the child starts with (documented in the README, "Memory of the local stack"). */
export const MALLOC_SETTINGS: Readonly<Record<string, string>> = { MALLOC_ARENA_MAX: '2' };

const LONG_RUNNING = new Set(['start', 'replay', 'rebuild']);

export interface ReexecContext {
    command: string | undefined;
    env: NodeJS.ProcessEnv;
    platform: NodeJS.Platform;
    execArgv: readonly string[];
    /** glibc's version when the process runs on glibc (process.report's header), else undefined. */
    glibc: () => string | undefined;
}

/** Whether this invocation should start itself again with MALLOC_SETTINGS. */
export function needsMallocReexec(ctx: ReexecContext): boolean {
    if (ctx.command === undefined || !LONG_RUNNING.has(ctx.command)) return false;
    if (ctx.platform !== 'linux' || ctx.env[REEXEC_MARKER] !== undefined) return false;
    if (Object.keys(MALLOC_SETTINGS).some((name) => ctx.env[name] !== undefined)) return false;
    if (ctx.execArgv.some((a) => a.startsWith('--inspect'))) return false;
    return ctx.glibc() !== undefined;
}

export function runningGlibc(): string | undefined {
    const header = (process.report.getReport() as { header?: { glibcVersionRuntime?: string } }).header;
    return header?.glibcVersionRuntime;
}

/**
 * The child's Node options: the parent's, and the stack's young generation (`local/heapTrim.ts`, SEMI_SPACE_MB) for
 * the main thread, whose heap can only be sized when the process starts (its worker threads take theirs as resource
 * limits), unless the command line already sizes it.
 */
export function childExecArgv(execArgv: readonly string[]): string[] {
    if (execArgv.some((a) => a.startsWith('--max-semi-space-size'))) return [...execArgv];
    return [...execArgv, `--max-semi-space-size=${SEMI_SPACE_MB}`];
}

/**
 * Runs `node <execArgv> <script> <argv>` with MALLOC_SETTINGS and resolves with its exit code; a child ended by a
 * signal ends this process by the same signal (so a shell sees 130 for SIGINT, as without the re-exec).
 */
export async function runWithMallocSettings(script: string, argv: readonly string[]): Promise<number> {
    // Loaded here, not at the top: the other commands (decode) need no child_process (nor net and dgram with it).
    const { spawn } = await import('node:child_process');
    const child = spawn(process.execPath, [...childExecArgv(process.execArgv), script, ...argv], {
        stdio: ['inherit', 'inherit', 'inherit', 'ipc'],
        env: { ...process.env, ...MALLOC_SETTINGS, [REEXEC_MARKER]: '1' },
    });
    const relay = (signal: RelayedSignal['maritimeSignal']) => () => {
        if (child.connected) child.send({ maritimeSignal: signal } satisfies RelayedSignal, () => undefined);
    };
    const onInt = relay('SIGINT');
    const onTerm = relay('SIGTERM');
    process.on('SIGINT', onInt);
    process.on('SIGTERM', onTerm);
    return new Promise<number>((resolve, reject) => {
        child.once('error', reject);
        child.once('exit', (code, signal) => {
            process.off('SIGINT', onInt);
            process.off('SIGTERM', onTerm);
            if (signal !== null) {
                process.kill(process.pid, signal);
                // (SIGINT/SIGTERM end this process now that no handler is left; for others, the shell's number)
                resolve(128 + (constants.signals[signal] ?? 0));
                return;
            }
            resolve(code ?? 1);
        });
    });
}
