/**
 * `maritime emissions [FILE]`: the bottom-up emission model on given legs. One JSON object per line in
 * (particulars and legs), one per line out with every intermediate value, computed by the same domain function as
 * the gold `emissions_daily` table (shared/domain/emissions legEmissions).
 */

import {
    EmissionInputError,
    type Emissions,
    legEmissions,
    parseEmissionsInput,
    POLLUTANTS,
} from '../../shared/domain/emissions/index.js';
import { FUELS } from '../../shared/domain/fuel/fuels.js';
import { jsonLinesCommand } from '../jsonLines.js';

const USAGE = `Usage: maritime emissions [FILE]

Reads one JSON object per line from FILE (or stdin): vessel particulars and one or more legs, and prints fuel
by engine (t) and emissions (t) per leg and in total, with the intermediate values of the IMO Fourth GHG Study
method (load factor, SFOC and its load factor, auxiliary and boiler power, low-load factors, sulphur, NOx tier).

  {"particulars":{"shipType":"bulk_carrier","dwt":50000,"gt":30000,"mainEngineKw":8000,"designSpeedKn":14,
    "designDraughtM":12,"engineType":"SSD","fuel":"HFO","yearBuilt":2012},
   "legs":[{"hours":10,"speedKn":12,"draughtM":10},{"hours":2,"speedKn":4,"eca":true,"neca":true}]}

particulars  shipType (4th GHG Study class, e.g. bulk_carrier, container, oil_tanker, cruise, ferry_ropax),
             dwt, gt, teu, cbm, mainEngineKw, designSpeedKn, designDraughtM, engineType (SSD, MSD, HSD,
             LNG-Otto-MS, LNG-Otto-SS, LNG-Diesel, LBSI, GT, ST), fuel (HFO, LFO, MDO, MGO, LNG, methanol),
             yearBuilt; missing ones are estimated from "ais" {shipTypeCode, lengthM, beamM, draughtM}
legs         hours, speedKn, draughtM (default: design draught), mode (berth, anchor, manoeuvring, sea; default:
             from the speed), eca (in a SOx ECA), neca (in a NOx ECA), necaTierIIIFromYear (default 2016)

A bad line prints {"error":"<field>: <problem>","field":"<field>","line":N} and the run goes on.
`;

export const emissionsCommand = jsonLinesCommand({
    name: 'emissions',
    summary:
        'emission model calculator: particulars + legs in, fuel by engine and emissions (step by step) out',
    usage: USAGE,
    compute: emissionsLine,
    asFieldError: (e) =>
        e instanceof EmissionInputError ? { field: e.field, message: e.message } : undefined,
});

export function emissionsLine(json: unknown): Record<string, unknown> {
    const { particulars, legs } = parseEmissionsInput(json);
    const results = legs.map((leg) => legEmissions(particulars, leg));
    const fuel = { main: 0, auxiliary: 0, boiler: 0, total: 0 };
    const fuelByType: Record<string, number> = {};
    const emissions: Emissions = { co2: 0, sox: 0, nox: 0, pm: 0, ch4: 0, n2o: 0 };
    let hours = 0;
    for (const r of results) {
        hours += r.hours;
        for (const e of ['main', 'auxiliary', 'boiler'] as const) {
            fuel[e] += r.fuelTonnes[e];
            fuel.total += r.fuelTonnes[e];
            const t = e === 'main' ? r.fuelTonnes.main - r.pilotMdoTonnes : r.fuelTonnes[e];
            fuelByType[r.fuelType[e]] = (fuelByType[r.fuelType[e]] ?? 0) + t;
        }
        if (r.pilotMdoTonnes > 0) fuelByType.MDO = (fuelByType.MDO ?? 0) + r.pilotMdoTonnes;
        for (const k of POLLUTANTS) emissions[k] += r.emissions[k];
    }
    const ordered = Object.fromEntries(
        FUELS.filter((f) => fuelByType[f] !== undefined).map((f) => [f, fuelByType[f]]),
    );
    const id = (json as { id?: unknown }).id;
    return {
        ...(id !== undefined ? { id } : {}),
        particulars,
        legs: results,
        total: { hours, fuelTonnes: fuel, fuelByType: ordered, emissions },
    };
}
