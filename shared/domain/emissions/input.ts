/**
 * Turns one untrusted JSON object (a calculator line) into particulars and legs for `legEmissions`, or an
 * `EmissionInputError` naming the field. Pure; used by `maritime emissions`.
 *
 * Shape: {"particulars": {shipType, dwt, gt, teu?, cbm?, mainEngineKw, designSpeedKn, designDraughtM, engineType,
 * fuel, yearBuilt, ciiShipType?}, "ais"?: {shipTypeCode, lengthM, beamM, draughtM}, "legs": [{hours, speedKn,
 * draughtM?, mode?, eca?, neca?, necaTierIIIFromYear?, navStatus?}]}. Missing particulars are estimated from
 * `ais` (and the class defaults), as for vessels without a particulars-file row.
 */
import { isCiiShipType } from '../cii/cii.js';
import type { Leg } from './model.js';
import { EmissionInputError } from './model.js';
import {
    type AisVesselFacts,
    MODEL_FUELS,
    type PartialParticulars,
    type ResolvedParticulars,
    resolveParticulars,
} from './particulars.js';
import { ENGINE_TYPES, GHG_SHIP_TYPES, MODES } from './tables.js';

const isObject = (v: unknown): v is Record<string, unknown> =>
    typeof v === 'object' && v !== null && !Array.isArray(v);
const isIn = <T extends string>(list: readonly T[], v: unknown): v is T =>
    typeof v === 'string' && (list as readonly string[]).includes(v);

function num(
    o: Record<string, unknown>,
    field: string,
    where: string,
    min: 'positive' | 'nonNegative',
): number | undefined {
    const v = o[field];
    if (v === undefined || v === null) return undefined;
    const ok = typeof v === 'number' && Number.isFinite(v) && (min === 'positive' ? v > 0 : v >= 0);
    if (!ok)
        throw new EmissionInputError(
            `${where}${field}`,
            `${where}${field} must be a ${min === 'positive' ? 'positive number' : 'number >= 0'}`,
        );
    return v;
}

function oneOf<T extends string>(
    o: Record<string, unknown>,
    field: string,
    where: string,
    list: readonly T[],
): T | undefined {
    const v = o[field];
    if (v === undefined || v === null) return undefined;
    if (!isIn(list, v))
        throw new EmissionInputError(
            `${where}${field}`,
            `${where}${field} must be one of ${list.join(', ')}`,
        );
    return v;
}

export interface EmissionsCalculation {
    particulars: ResolvedParticulars;
    legs: Leg[];
}

export function parseEmissionsInput(json: unknown): EmissionsCalculation {
    if (!isObject(json)) throw new EmissionInputError('(line)', 'expected a JSON object');
    const p = json.particulars ?? {};
    if (!isObject(p)) throw new EmissionInputError('particulars', 'particulars must be an object');
    const w = 'particulars.';
    const given: PartialParticulars = {};
    const shipType = oneOf(p, 'shipType', w, GHG_SHIP_TYPES);
    if (shipType !== undefined) given.shipType = shipType;
    for (const f of [
        'dwt',
        'gt',
        'teu',
        'cbm',
        'mainEngineKw',
        'designSpeedKn',
        'designDraughtM',
        'yearBuilt',
    ] as const) {
        const v = num(p, f, w, 'positive');
        if (v !== undefined) given[f] = v;
    }
    const engineType = oneOf(p, 'engineType', w, ENGINE_TYPES);
    if (engineType !== undefined) given.engineType = engineType;
    const fuel = oneOf(p, 'fuel', w, MODEL_FUELS);
    if (fuel !== undefined) given.fuel = fuel;
    if (p.ciiShipType !== undefined) {
        if (!isCiiShipType(p.ciiShipType))
            throw new EmissionInputError(`${w}ciiShipType`, `${w}ciiShipType is not a CII ship type`);
        given.ciiShipType = p.ciiShipType;
    }
    const aisIn = json.ais ?? {};
    if (!isObject(aisIn)) throw new EmissionInputError('ais', 'ais must be an object');
    const ais: AisVesselFacts = {};
    for (const f of ['shipTypeCode', 'lengthM', 'beamM', 'draughtM'] as const) {
        const v = num(aisIn, f, 'ais.', 'nonNegative');
        if (v !== undefined) ais[f] = v;
    }
    // Given particulars count as the user's ("file"); with none at all, everything is estimated.
    const particulars = resolveParticulars(Object.keys(given).length > 0 ? given : undefined, ais);

    if (!Array.isArray(json.legs) || json.legs.length === 0)
        throw new EmissionInputError('legs', 'legs must be a non-empty array');
    const legs = json.legs.map((l: unknown, i): Leg => {
        const where = `legs[${i}].`;
        if (!isObject(l)) throw new EmissionInputError(`legs[${i}]`, `legs[${i}] must be an object`);
        const hours = num(l, 'hours', where, 'nonNegative');
        const speedKn = num(l, 'speedKn', where, 'nonNegative');
        if (hours === undefined) throw new EmissionInputError(`${where}hours`, `${where}hours is required`);
        if (speedKn === undefined)
            throw new EmissionInputError(`${where}speedKn`, `${where}speedKn is required`);
        const leg: Leg = { hours, speedKn };
        const draughtM = num(l, 'draughtM', where, 'positive');
        if (draughtM !== undefined) leg.draughtM = draughtM;
        const mode = oneOf(l, 'mode', where, MODES);
        if (mode !== undefined) leg.mode = mode;
        const navStatus = num(l, 'navStatus', where, 'nonNegative');
        if (navStatus !== undefined) leg.navStatus = navStatus;
        const tier3 = num(l, 'necaTierIIIFromYear', where, 'positive');
        if (tier3 !== undefined) leg.necaTierIIIFromYear = tier3;
        for (const [field, key] of [
            ['eca', 'inSeca'],
            ['neca', 'inNeca'],
        ] as const) {
            const v = l[field];
            if (v === undefined) continue;
            if (typeof v !== 'boolean')
                throw new EmissionInputError(`${where}${field}`, `${where}${field} must be true or false`);
            leg[key] = v;
        }
        return leg;
    });
    return { particulars, legs };
}
