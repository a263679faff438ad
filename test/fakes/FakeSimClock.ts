import type { SimClock } from '../../local/simulator/SimulatorSource.js';

/** A simulator clock that only moves when the test says so. */
export class FakeSimClock implements SimClock {
    t: number;
    fn: (() => void) | undefined;
    ms = 0;
    constructor(start: number) {
        this.t = start;
    }
    now(): number {
        return this.t;
    }
    setInterval(fn: () => void, ms: number): unknown {
        this.fn = fn;
        this.ms = ms;
        return 1;
    }
    clearInterval(): void {
        this.fn = undefined;
    }
    /** Advance `totalMs` in timer steps, firing the timer each step. */
    run(totalMs: number): void {
        for (let elapsed = 0; elapsed < totalMs; elapsed += this.ms) {
            this.t += this.ms;
            this.fn?.();
        }
    }
}
