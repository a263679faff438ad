/**
 * Compliance checks: each a pure function with its rule and source next to it, producing finding drafts with
 * deterministic ids; `reconcileFindings` turns them into stored findings (opened, updated, closed).
 */
export * from './cii.js';
export * from './darkGaps.js';
export * from './feedHorizon.js';
export * from './finding.js';
export * from './identity.js';
export * from './inputs.js';
export * from './reconcile.js';
export * from './speedZones.js';
export * from './sulphur.js';
