/**
 * Small seeded PRNG (mulberry32): the simulator, the maintenance model's training sample, the benchmarks and the
 * randomised tests are reproducible for a given seed. The one copy of the algorithm.
 */
export class Prng {
    #state: number;

    constructor(seed: number) {
        this.#state = seed >>> 0;
    }

    /** A function drawing uniform numbers in [0, 1) from a new generator seeded with `seed`. */
    static fn(seed: number): () => number {
        const prng = new Prng(seed);
        return () => prng.next();
    }

    /** Uniform in [0, 1). */
    next(): number {
        this.#state = (this.#state + 0x6d2b79f5) >>> 0;
        let t = this.#state;
        t = Math.imul(t ^ (t >>> 15), t | 1);
        t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
        return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
    }

    /** Integer in [min, max]. */
    int(min: number, max: number): number {
        return min + Math.floor(this.next() * (max - min + 1));
    }

    /** Uniform in [min, max). */
    range(min: number, max: number): number {
        return min + this.next() * (max - min);
    }

    chance(p: number): boolean {
        return this.next() < p;
    }

    pick<T>(items: readonly T[]): T {
        if (items.length === 0) throw new RangeError('pick from an empty list');
        return items[Math.floor(this.next() * items.length)]!;
    }

    /** Picks by weight: `[[item, weight], ...]`. */
    weighted<T>(items: readonly (readonly [T, number])[]): T {
        const total = items.reduce((s, [, w]) => s + w, 0);
        let r = this.next() * total;
        for (const [item, w] of items) {
            r -= w;
            if (r < 0) return item;
        }
        return items[items.length - 1]![0];
    }
}
