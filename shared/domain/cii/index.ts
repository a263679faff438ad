/** IMO CII: attained, required, boundaries, rating, year-to-date and projection (pure functions). */
export * from './cii.js';
export * from './input.js';
export * from './yearly.js';
