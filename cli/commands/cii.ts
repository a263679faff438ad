/**
 * `maritime cii [FILE]`: IMO CII calculator. One JSON object per line in, one per line out, computed by the same
 * domain functions as the compliance checks (shared/domain/cii).
 */
import { CiiInputError, computeCii, parseCiiInput } from '../../shared/domain/cii/index.js';
import { jsonLinesCommand } from '../jsonLines.js';

const USAGE = `Usage: maritime cii [FILE]

Reads one JSON object per line from FILE (or stdin) and prints the ship's CII rating per line:
  {"shipType":"bulk_carrier","dwt":25000,"fuelTonnes":{"MDO":10000},"distanceNm":150000,"year":2025}
->{"attained":8.549333333333333,"required":7.938874264978558,"ratio":1.0768949158255026,"rating":"D",
   "boundaries":{"superior":...,"lower":...,"upper":...,"inferior":...}, ...}

Input fields:
  shipType          bulk_carrier, gas_carrier, tanker, container_ship, general_cargo_ship,
                    refrigerated_cargo_carrier, combination_carrier, lng_carrier,
                    ro_ro_cargo_ship_vehicle_carrier, ro_ro_cargo_ship, ro_ro_passenger_ship, cruise_passenger_ship
  dwt | gt          capacity: DWT for cargo ships, GT for ro-ro cargo, vehicle carriers, ro-pax and cruise
  fuelTonnes        tonnes per fuel: HFO, LFO, MDO, MGO, LNG, LPG_propane, LPG_butane, ethane, methanol, ethanol
  distanceNm        distance travelled in the year, nautical miles
  year              2019..2030 (reduction factor Z; 2027-2030 from MEPC.400(83))
  hsc               optional, ro_ro_passenger_ship: a high-speed craft (own reference line)
  capTransportWork  optional, true: apply the capacity cap to the transport work too (default false)
  id                optional, copied to the output

A bad line prints {"error":"<field>: <problem>","field":"<field>","line":N} and the run goes on.
`;

export const ciiCommand = jsonLinesCommand({
    name: 'cii',
    summary: 'IMO CII calculator: JSON lines in (ship, fuel, distance, year), rating per line out',
    usage: USAGE,
    compute: ciiLine,
    asFieldError: (e) => (e instanceof CiiInputError ? { field: e.field, message: e.message } : undefined),
});

/** One calculator line: the rating first (the fields every public calculator prints), then the working. */
export function ciiLine(json: unknown): Record<string, unknown> {
    const r = computeCii(parseCiiInput(json));
    const id = (json as { id?: unknown }).id;
    return {
        ...(id !== undefined ? { id } : {}),
        attained: r.attained,
        required: r.required,
        ratio: r.ratio,
        rating: r.rating,
        boundaries: r.boundaries,
        co2Tonnes: r.co2Tonnes,
        capacityUnit: r.capacityUnit,
        capacity: r.capacity,
        referenceCapacity: r.referenceCapacity,
        band: r.band,
        transportWork: r.transportWork,
        referenceCii: r.referenceCii,
        reductionFactor: r.reductionFactor,
    };
}
