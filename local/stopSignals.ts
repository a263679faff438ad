/**
 * SIGINT and SIGTERM for the local stack, when it may also receive them relayed by the parent that started it with
 * its malloc settings (cli/mallocReexec.ts). A terminal's Ctrl-C signals the whole process group, so the stack gets
 * the signal itself AND its relay from the parent; `kill PARENT` gives only the relay; `kill STACK` only the
 * signal. Counting each source apart and acting on the larger count takes each of these as one stop request, with
 * no time window (a loaded machine can hold either for seconds), so a single Ctrl-C is never a second one ("stop at
 * once"). (A kill of the stack AND a kill of its parent count as one: the only case it merges.)
 */

/** A relayed signal, parent -> child, over the IPC channel. */
export interface RelayedSignal {
    maritimeSignal: 'SIGINT' | 'SIGTERM';
}

export function isRelayedSignal(message: unknown): message is RelayedSignal {
    const signal = (message as Partial<RelayedSignal> | null)?.maritimeSignal;
    return signal === 'SIGINT' || signal === 'SIGTERM';
}

/** The two counts: how many stop requests are new after a signal or a relay. */
export class StopSignalCounter {
    #received = 0;
    #relayed = 0;
    #delivered = 0;

    /** A signal received by this process; returns how many new stop requests that makes (0 or 1). */
    received(): number {
        this.#received++;
        return this.#take();
    }

    /** A signal relayed by the parent; returns how many new stop requests that makes (0 or 1). */
    relayed(): number {
        this.#relayed++;
        return this.#take();
    }

    #take(): number {
        const n = Math.max(this.#received, this.#relayed) - this.#delivered;
        this.#delivered += n;
        return n;
    }
}

const counter = new StopSignalCounter();
let handler: (() => void) | undefined;

function deliver(n: number): void {
    for (let i = 0; i < n; i++) {
        // Before the stack registers its handler, a stop request ends the process as an unhandled SIGINT would.
        if (handler) handler();
        else process.exit(130);
    }
}

/**
 * In a process started by cli/mallocReexec.ts (it has an IPC channel to its parent): listens for relayed signals,
 * and when the channel closes (the parent was killed) ends at once by SIGKILL, as the parent did. The channel does
 * not keep the process alive.
 */
export function listenToParent(): void {
    if (typeof process.send !== 'function') return;
    process.on('message', (message: unknown) => {
        if (isRelayedSignal(message)) deliver(counter.relayed());
    });
    process.on('disconnect', () => process.kill(process.pid, 'SIGKILL'));
    process.channel?.unref();
}

/** Calls `onStop` once per stop request (SIGINT or SIGTERM, received or relayed); returns the function to stop. */
export function onStopSignal(onStop: () => void): () => void {
    handler = onStop;
    const onSignal = (): void => deliver(counter.received());
    process.on('SIGINT', onSignal);
    process.on('SIGTERM', onSignal);
    return () => {
        process.off('SIGINT', onSignal);
        process.off('SIGTERM', onSignal);
        if (handler === onStop) handler = undefined;
    };
}
