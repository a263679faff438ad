/**
 * Turns one untrusted JSON object (a calculator line, a request body) into a `CiiInput`, or a `CiiInputError`
 * naming the field. Pure; used by `maritime cii` and meant for the HTTP endpoints too.
 */
import { FUELS, type FuelTonnes, isFuel } from '../fuel/fuels.js';
import { CII_SHIP_TYPES, type CiiInput, CiiInputError, isCiiShipType } from './cii.js';

const isObject = (v: unknown): v is Record<string, unknown> =>
    typeof v === 'object' && v !== null && !Array.isArray(v);

function optionalPositive(o: Record<string, unknown>, field: string): number | undefined {
    const v = o[field];
    if (v === undefined || v === null) return undefined;
    if (typeof v !== 'number' || !Number.isFinite(v) || v <= 0)
        throw new CiiInputError(field, `${field} must be a positive number`);
    return v;
}

export function parseCiiInput(json: unknown): CiiInput {
    if (!isObject(json)) throw new CiiInputError('(line)', 'expected a JSON object');
    const { shipType, fuelTonnes, distanceNm, year } = json;
    if (!isCiiShipType(shipType))
        throw new CiiInputError(
            'shipType',
            `shipType must be one of ${CII_SHIP_TYPES.join(', ')}; got ${JSON.stringify(shipType ?? null)}`,
        );
    if (!isObject(fuelTonnes))
        throw new CiiInputError('fuelTonnes', 'fuelTonnes must be an object of tonnes per fuel');
    const fuel: FuelTonnes = {};
    for (const [name, t] of Object.entries(fuelTonnes)) {
        if (!isFuel(name))
            throw new CiiInputError(
                `fuelTonnes.${name}`,
                `unknown fuel '${name}' (one of ${FUELS.join(', ')})`,
            );
        if (typeof t !== 'number' || !Number.isFinite(t) || t < 0)
            throw new CiiInputError(`fuelTonnes.${name}`, `fuelTonnes.${name} must be a number >= 0`);
        fuel[name] = t;
    }
    if (typeof distanceNm !== 'number' || !Number.isFinite(distanceNm) || distanceNm <= 0)
        throw new CiiInputError('distanceNm', 'distanceNm must be a positive number');
    if (typeof year !== 'number' || !Number.isInteger(year))
        throw new CiiInputError('year', 'year must be an integer (2019..2030)');
    const input: CiiInput = { shipType, fuelTonnes: fuel, distanceNm, year };
    const dwt = optionalPositive(json, 'dwt');
    const gt = optionalPositive(json, 'gt');
    if (dwt !== undefined) input.dwt = dwt;
    if (gt !== undefined) input.gt = gt;
    for (const flag of ['hsc', 'capTransportWork'] as const) {
        const v = json[flag];
        if (v === undefined) continue;
        if (typeof v !== 'boolean') throw new CiiInputError(flag, `${flag} must be true or false`);
        input[flag] = v;
    }
    return input;
}
