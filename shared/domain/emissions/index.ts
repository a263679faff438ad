/**
 * Bottom-up fuel and emissions (IMO Fourth GHG Study 2020 method): vessel particulars, the per-leg model and the
 * `emissions_daily` row.
 */
export * from './daily.js';
export * from './input.js';
export * from './model.js';
export * from './particulars.js';
export * from './tables.js';
