/** Time helpers shared by the domain and the lake layout (epoch milliseconds, UTC). */

export const HOUR_MS = 3_600_000;

/** The hour an instant falls in, as epoch ms. */
export function hourStart(epochMs: number): number {
    return Math.floor(epochMs / HOUR_MS) * HOUR_MS;
}
