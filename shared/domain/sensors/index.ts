/**
 * Ship sensor readings: event contract and parsing, units, validation, threshold rules, running statistics.
 * Pure domain code (no I/O, no Azure SDK, no process.env).
 */
import type { AnomalyOptions } from './stats.js';
import { quantitySpec } from './units.js';

export type { SensorFlagCode, SensorReasonCode } from './codes.js';
export { SENSOR_FLAG_CODES, SENSOR_REASON_CODES } from './codes.js';
export type { SensorParseOutcome, SensorParseReason } from './parse.js';
export { parseSensorEvents, parseSensorLine, SENSOR_ID_RE, validateSensorEvent } from './parse.js';
export type { SensorReading } from './reading.js';
export { sensorDedupeKey, sensorKeyOf, vesselKeyOf } from './reading.js';
export type { Direction, RuleSet, Severity, ThresholdHit, ThresholdRule } from './rules.js';
export { evaluateThresholds, loadRules, RuleSetError, SEVERITIES } from './rules.js';
export type { AnomalyOptions, AnomalyResult, SensorStats, StatsBatchResult, StatsPoint } from './stats.js';
export {
    alphaForInterval,
    alphaFromHalfLife,
    applies,
    DEFAULT_MIN_COUNT,
    DEFAULT_Z_THRESHOLD,
    detectAnomaly,
    emptyStats,
    MIN_EVENT_TIME,
    stdDev,
    update,
    updateBatch,
    updateStats,
    zScore,
} from './stats.js';
export type {
    Conversion,
    Dimension,
    NormaliseResult,
    QuantityId,
    QuantitySpec,
    UnitProblem,
} from './units.js';
export {
    convert,
    isQuantityId,
    normalise,
    QUANTITIES,
    QUANTITY_IDS,
    quantitySpec,
    UNIT_TABLES,
    unitsFor,
} from './units.js';
export type { SensorValidationContext, SensorValidationResult } from './validate.js';
export { DEFAULT_SENSOR_FUTURE_TOLERANCE_MS, validateReading } from './validate.js';

/**
 * Anomaly options for a quantity: the std floor is the quantity's typical resolution, so a flat (stuck) signal
 * does not flag every tiny change. Undefined for circular quantities (wind direction): a linear z-score is
 * meaningless across 0/360, so do not run detection on them.
 */
export function anomalyOptionsFor(quantity: string, base: AnomalyOptions = {}): AnomalyOptions | undefined {
    const spec = quantitySpec(quantity);
    if (spec === undefined || spec.circular === true) return undefined;
    return { ...base, minStd: base.minStd ?? spec.resolution };
}
