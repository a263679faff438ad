export { cpa, cpaFromRelative, type CpaResult, type Kinematics, NM_PER_DEG, velocity } from './cpa.js';
export {
    evaluatePair,
    findCollisionRisks,
    type PreparedVessel,
    prepareFleet,
    type Risk,
    scanCollisionRisks,
    type VesselFix,
    type WatchOptions,
    type WatchResult,
    type WatchStats,
} from './watch.js';
