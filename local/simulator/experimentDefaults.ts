/** Defaults of the maintenance experiment (kept apart so the CLI can print them without loading the trainer). */
export const EXPERIMENT_DEFAULTS = { seed: 1, vessels: 40, days: 365, horizonDays: 7 } as const;
