/**
 * JSON Schemas (2020-12) of the HTTP responses, the `components.schemas` of the OpenAPI document. Route
 * declarations refer to them with `ref('Name')`. They describe the public shapes of `shared/app/queries.ts`.
 */
import { ALERT_KINDS, ALERT_SEVERITIES } from '../shared/domain/alerts/alert.js';
import type { JsonSchema } from './definitions.js';

export const ref = (name: string): JsonSchema => ({ $ref: `#/components/schemas/${name}` });

const epochMs = (description: string): JsonSchema => ({
    type: 'integer',
    description: `${description} (epoch milliseconds, UTC)`,
});
const num = (description: string): JsonSchema => ({ type: 'number', description });
const str = (description: string): JsonSchema => ({ type: 'string', description });
const page = (item: string, description: string): JsonSchema => ({
    type: 'object',
    description,
    required: ['items'],
    properties: {
        items: { type: 'array', items: ref(item) },
        continuation: str(
            'Present when there are more items: pass it back as `continuation` for the next page.',
        ),
    },
});

export const API_SCHEMAS: Record<string, JsonSchema> = {
    GoldRows: {
        type: 'object',
        description:
            'Gold rows for one vessel (or port) and a day range; the columns of each table are in the README.',
        required: ['from', 'to', 'items'],
        properties: {
            mmsi: str('MMSI, for the vessel routes'),
            locode: str('UN/LOCODE, for the port route'),
            from: str('First day, YYYY-MM-DD'),
            to: str('Last day, YYYY-MM-DD'),
            items: { type: 'array', items: { type: 'object', additionalProperties: true } },
            continuation: str(
                'Present when there are more items: pass it back as `continuation` for the next page.',
            ),
        },
    },
    DataQuality: {
        type: 'object',
        description: 'Data-quality rows of one day (gold dq_daily); the columns are in the README.',
        required: ['date', 'items'],
        properties: {
            date: str('The day, YYYY-MM-DD'),
            items: { type: 'array', items: { type: 'object', additionalProperties: true } },
            continuation: str(
                'Present when there are more items: pass it back as `continuation` for the next page.',
            ),
        },
    },
    FleetSummary: {
        type: 'object',
        description:
            'The fleet on one day: vessels active, distance, fuel and CO2, by ship type and flag (gold fleet_daily).',
        additionalProperties: true,
    },
    EquipmentHealth: {
        type: 'object',
        description: 'One equipment scored on one day (gold equipment_health).',
        required: [
            'date',
            'mmsi',
            'equipment_id',
            'kind',
            'health',
            'probability',
            'horizon_days',
            'at_risk',
            'contributions',
        ],
        properties: {
            date: str('The scored UTC day, YYYY-MM-DD'),
            mmsi: { type: 'integer', description: 'MMSI of the vessel' },
            equipment_id: str('Equipment id (ME1-BRG, ME1-TC, FO-FILTER)'),
            kind: { type: 'string', enum: ['bearing', 'turbocharger', 'fuel-filter'] },
            health: {
                type: 'integer',
                minimum: 0,
                maximum: 100,
                description: '100 x (1 - probability), rounded: 100 = no sign of a failure ahead',
            },
            probability: {
                type: 'number',
                minimum: 0,
                maximum: 1,
                description: 'Probability of a failure within horizon_days after the day',
            },
            horizon_days: {
                type: 'integer',
                description: 'The horizon of the probability, days (MAINTENANCE_HORIZON_DAYS)',
            },
            at_risk: {
                type: 'boolean',
                description:
                    'probability >= MAINTENANCE_ALERT_PROBABILITY (a maintenance-risk warning was raised for the episode)',
            },
            contributions: {
                type: 'array',
                description: 'The features pushing most towards failure, largest share of the log-odds first',
                items: {
                    type: 'object',
                    required: ['feature', 'value', 'logOdds'],
                    properties: {
                        feature: str('Feature name (README, Predictive maintenance)'),
                        value: num('The feature value'),
                        logOdds: num('Its share of the log-odds'),
                    },
                },
            },
            episode_start: {
                type: ['integer', 'string', 'null'],
                description: 'The last repair or service before the day end (the episode), when logged',
            },
            model_version: str('Model format and training seed'),
            scored_at: { type: ['integer', 'string'], description: 'When the day was scored' },
        },
    },
    VesselEquipment: {
        type: 'object',
        description: "A vessel's equipment on one scored day, riskiest first.",
        required: ['mmsi', 'day', 'items'],
        properties: {
            mmsi: { type: 'integer' },
            day: {
                type: ['string', 'null'],
                description: 'The scored day (YYYY-MM-DD); null when none in the last 7 days',
            },
            items: { type: 'array', items: ref('EquipmentHealth') },
        },
    },
    FleetMaintenance: {
        type: 'object',
        description: "The fleet's equipment on one scored day, riskiest first.",
        required: ['day', 'equipment', 'atRisk', 'items'],
        properties: {
            day: {
                type: ['string', 'null'],
                description: 'The scored day (YYYY-MM-DD); null when none in the last 7 days',
            },
            equipment: { type: 'integer', description: 'Equipment scored that day' },
            atRisk: { type: 'integer', description: 'Of which at or above the alert probability' },
            items: { type: 'array', items: ref('EquipmentHealth') },
        },
    },
    SensorHistory: {
        type: 'object',
        description:
            "A vessel's sensor readings in a time range, one series per sensor and quantity (silver sensor_readings).",
        required: ['mmsi', 'from', 'to', 'series'],
        properties: {
            mmsi: num('MMSI'),
            from: epochMs('Start of the range'),
            to: epochMs('End of the range (exclusive)'),
            series: {
                type: 'array',
                items: {
                    type: 'object',
                    required: ['sensorId', 'quantity', 'unit', 'count', 'points'],
                    properties: {
                        sensorId: str('Sensor id'),
                        quantity: str('Quantity (canonical)'),
                        unit: str('Canonical unit'),
                        count: num('Readings in the range before thinning'),
                        points: {
                            type: 'array',
                            items: {
                                type: 'object',
                                required: ['t', 'value'],
                                properties: {
                                    t: epochMs('Event time'),
                                    value: num('Value in the canonical unit'),
                                    flags: {
                                        type: 'array',
                                        items: { type: 'string' },
                                        description: 'Data-quality flags of the reading',
                                    },
                                },
                            },
                        },
                    },
                },
            },
        },
    },
    CiiRating: {
        type: 'object',
        description:
            'A CII rating of a period (MEPC.352/353/354(78), Z of MEPC.338(76)/400(83)): g CO2 per capacity-nm.',
        required: ['attained', 'required', 'ratio', 'rating', 'boundaries'],
        properties: {
            attained: num('Attained CII, g CO2 / (capacity x nm)'),
            required: num('Required CII of the year (reference line x (1 - Z/100))'),
            ratio: num('attained / required'),
            rating: { type: 'string', enum: ['A', 'B', 'C', 'D', 'E'] },
            boundaries: {
                type: 'object',
                description: 'superior, lower, upper, inferior boundaries (G4 exp(d) x required)',
                additionalProperties: { type: 'number' },
            },
            co2Tonnes: num('CO2 of the period, tonnes (sum of fuel x Cf)'),
            capacity: num('Capacity used in the transport work (DWT or GT)'),
            referenceCapacity: num('Capacity used in the reference line (G2 caps)'),
            transportWork: num('capacity x distance'),
            referenceCii: num('CII_ref = a x capacity^-c'),
            reductionFactor: num('Z of the year, %'),
            band: str('The G2 size band'),
        },
    },
    VesselCii: {
        type: 'object',
        description:
            'CII of one vessel and calendar year from gold (emissions_daily fuel per type, vessel_daily distance), with every input used.',
        required: [
            'mmsi',
            'year',
            'asOf',
            'complete',
            'applicable',
            'ship',
            'inputs',
            'yearToDate',
            'projected',
            'history',
        ],
        properties: {
            mmsi: num('MMSI'),
            imo: { type: ['integer', 'null'] },
            year: num('Calendar year rated'),
            asOf: str('Time the figures run to (ISO 8601)'),
            complete: { type: 'boolean', description: 'The year has ended: the rating is final' },
            applicable: {
                type: 'boolean',
                description:
                    'False when CII does not rate the ship type or no distance was sailed yet (see reason)',
            },
            reason: str('Why the vessel is not rated'),
            ship: {
                type: 'object',
                description: 'ciiShipType, capacityUnit, dwt, gt, capacitySource (file or estimated)',
                additionalProperties: true,
            },
            inputs: {
                type: 'object',
                description:
                    'yearToDate / recent: {from, to, days, daysWithData, fuelTonnes, distanceNm}; projected: {fuelTonnes, distanceNm, rate}; calculatorLine: the JSON line for `npx maritime cii` that reproduces yearToDate',
                additionalProperties: true,
            },
            yearToDate: { oneOf: [ref('CiiRating'), { type: 'null' }] },
            projected: { oneOf: [ref('CiiRating'), { type: 'null' }] },
            history: {
                type: 'array',
                description: 'Year-to-date rating at each earlier month end',
                items: { type: 'object', additionalProperties: true },
            },
        },
    },
    FleetCii: {
        type: 'object',
        description:
            'The fleet rated by the last checkCompliance run for the year (gold cii_yearly), a page of vessels and the rating distribution.',
        required: ['year', 'asOf', 'distribution', 'items'],
        properties: {
            year: num('Calendar year'),
            asOf: str('When the fleet was last rated (ISO 8601)'),
            distribution: {
                type: 'object',
                description: '{ yearToDate: {A..E: vessels}, projected: {A..E: vessels}, notRated }',
                additionalProperties: true,
            },
            items: { type: 'array', items: ref('VesselCii') },
            continuation: str(
                'Present when there are more items: pass it back as `continuation` for the next page.',
            ),
        },
    },
    Error: {
        type: 'object',
        description: 'Every error response (400, 404, 405, 500, 503) has this body.',
        required: ['error', 'message'],
        properties: {
            error: {
                type: 'string',
                enum: ['bad_request', 'not_found', 'method_not_allowed', 'unavailable', 'internal'],
            },
            message: str(
                'What went wrong; for 400 it names the parameter, what was expected and what was given.',
            ),
            invocationId: str('For 500: the invocation id to look up in the logs.'),
        },
    },
    VesselPosition: {
        type: 'object',
        required: ['eventTime', 'lat', 'lon'],
        properties: {
            eventTime: epochMs('Event time of the fix'),
            lat: num('Latitude, degrees (WGS 84)'),
            lon: num('Longitude, degrees (WGS 84)'),
            sog: num('Speed over ground, knots'),
            cog: num('Course over ground, degrees true'),
            heading: num('True heading, degrees'),
            rot: num('Rate of turn, degrees per minute'),
            navStatus: { type: 'integer', description: 'AIS navigational status code' },
            navStatusText: str('Navigational status as text'),
            accuracy: { type: 'boolean', description: 'Position accuracy flag (true = better than 10 m)' },
            cell: str('H3 cell of the position'),
            msgType: { type: 'integer', description: 'AIS message type of the fix' },
        },
    },
    VesselStatic: {
        type: 'object',
        required: ['eventTime'],
        properties: {
            eventTime: epochMs('Event time of the newest static field'),
            imo: { type: 'integer', description: 'IMO number (check digit verified)' },
            callSign: str('Call sign'),
            name: str('Vessel name'),
            shipType: { type: 'integer', description: 'AIS ship type code' },
            shipTypeText: str('Ship type as text'),
            shipCategory: str('Ship type category: cargo, tanker, passenger, fishing, tug, ...'),
            toBow: num('Metres from the reference point to the bow'),
            toStern: num('Metres to the stern'),
            toPort: num('Metres to port'),
            toStarboard: num('Metres to starboard'),
            length: num('Length overall, metres'),
            width: num('Beam, metres'),
            draught: num('Reported draught, metres'),
            destination: str('Reported destination'),
            eta: str('Reported ETA, MM-DDTHH:mmZ'),
        },
    },
    Vessel: {
        type: 'object',
        description: 'Latest state of one vessel.',
        required: ['mmsi', 'lastSeen', 'updatedAt'],
        properties: {
            mmsi: { type: 'integer' },
            flag: str('Flag state, ISO 3166-1 alpha-2, from the MID'),
            flagCountry: str('Flag state name'),
            mmsiClass: str('MMSI class: ship, coast-station, sar-aircraft, aton, handheld, group, ...'),
            aisClass: { type: 'string', enum: ['A', 'B'] },
            position: ref('VesselPosition'),
            zones: {
                type: 'array',
                items: { type: 'string' },
                description: 'Zones containing the position (ECA ids, user zones)',
            },
            static: ref('VesselStatic'),
            lastSeen: epochMs('Latest event time of anything received for the vessel'),
            updatedAt: epochMs('When the state was last written'),
        },
    },
    VesselPage: page('Vessel', 'A page of vessels.'),
    TrackPoint: {
        type: 'object',
        required: ['t', 'lat', 'lon'],
        properties: {
            t: epochMs('Event time'),
            lat: num('Latitude, degrees'),
            lon: num('Longitude, degrees'),
            sog: num('Speed over ground, knots'),
            cog: num('Course over ground, degrees'),
            heading: num('True heading, degrees'),
            jump: {
                type: 'boolean',
                description: 'The fix implied an implausible jump from the previous one',
            },
        },
    },
    Track: {
        type: 'object',
        required: ['mmsi', 'from', 'to', 'points'],
        properties: {
            mmsi: { type: 'integer' },
            from: epochMs('Start of the window'),
            to: epochMs('End of the window'),
            points: {
                type: 'array',
                items: ref('TrackPoint'),
                description: 'Ordered by time, unique per time',
            },
        },
    },
    Alert: {
        type: 'object',
        required: ['id', 'kind', 'severity', 'mmsi', 'vessels', 'time', 'details', 'ruleVersion', 'raisedAt'],
        properties: {
            id: str('Deterministic id (derived from what raised it)'),
            kind: { type: 'string', enum: [...ALERT_KINDS] },
            severity: { type: 'string', enum: [...ALERT_SEVERITIES] },
            mmsi: {
                type: 'integer',
                description: 'The vessel the alert is about (0 when only an IMO is known)',
            },
            vessels: {
                type: 'array',
                items: { type: 'integer' },
                description: 'Every vessel involved, ascending',
            },
            time: epochMs('Event time the alert refers to'),
            position: {
                type: 'object',
                required: ['lat', 'lon'],
                properties: { lat: { type: 'number' }, lon: { type: 'number' } },
            },
            details: {
                type: 'object',
                additionalProperties: true,
                description: 'Kind-specific: rule, value, threshold, z-score, zone, CPA/TCPA, ...',
            },
            ruleVersion: str('Version of the rules or configuration that raised it'),
            raisedAt: epochMs('Processing time when it was raised'),
        },
    },
    AlertPage: page('Alert', 'A page of alerts, newest first.'),
    VesselSensors: {
        type: 'object',
        required: ['mmsi', 'sensors'],
        properties: {
            mmsi: { type: 'integer' },
            sensors: {
                type: 'array',
                items: {
                    type: 'object',
                    required: ['sensorId', 'quantity', 'unit', 'latest', 'stats'],
                    properties: {
                        sensorId: { type: 'string' },
                        quantity: str('Measured quantity, e.g. exhaust_temperature'),
                        unit: str('Canonical unit of the quantity'),
                        latest: {
                            type: 'object',
                            required: ['value', 'eventTime'],
                            properties: {
                                value: { type: 'number' },
                                eventTime: epochMs('Event time of the reading'),
                                position: {
                                    type: 'object',
                                    properties: { lat: { type: 'number' }, lon: { type: 'number' } },
                                },
                            },
                        },
                        stats: {
                            type: 'object',
                            required: ['n', 'mean', 'std'],
                            properties: {
                                n: { type: 'integer', description: 'Readings applied' },
                                mean: num('Exponentially weighted mean'),
                                std: num('Exponentially weighted standard deviation'),
                            },
                        },
                    },
                },
            },
        },
    },
    LayerHealth: {
        type: 'object',
        required: ['sources'],
        properties: {
            lastWrite: epochMs('Last batch written to the layer (newest watermark)'),
            ageSeconds: { type: 'integer', description: 'Seconds since lastWrite' },
            sources: {
                type: 'object',
                description: 'The same per source (ais, sensors)',
                additionalProperties: {
                    type: 'object',
                    required: ['lastWrite', 'ageSeconds'],
                    properties: { lastWrite: { type: 'integer' }, ageSeconds: { type: 'integer' } },
                },
            },
        },
    },
    DependencyHealth: {
        type: 'object',
        required: ['status', 'ms'],
        properties: {
            status: { type: 'string', enum: ['ok', 'unavailable'] },
            ms: {
                type: 'integer',
                description: 'Time the check took (when it did not answer: how long it had waited)',
            },
            error: { type: 'string' },
        },
    },
    Health: {
        type: 'object',
        required: ['status', 'checkedAt', 'checkAgeMs', 'layers', 'dependencies'],
        properties: {
            status: {
                type: 'string',
                enum: ['ok', 'stale', 'empty', 'unavailable'],
                description:
                    '`stale`: no bronze write for 15 minutes; `empty`: nothing ingested yet; `unavailable` (with 503): a dependency did not answer within 1 s in the last probe',
            },
            checkedAt: epochMs(
                'When the probe this answer rests on started (storage listing of the watermarks, Cosmos DB point read)',
            ),
            checkAgeMs: {
                type: 'integer',
                description:
                    'Age of that probe when this answer was given, ms: probes are refreshed in the background every 5 s while the route is called, and an answer never rests on one older than 30 s',
            },
            layers: {
                type: 'object',
                description: 'bronze, silver, quarantine',
                additionalProperties: ref('LayerHealth'),
            },
            dependencies: {
                type: 'object',
                required: ['storage', 'cosmos'],
                properties: { storage: ref('DependencyHealth'), cosmos: ref('DependencyHealth') },
            },
        },
    },
    IngestRate: {
        type: 'object',
        required: ['windowSeconds', 'from', 'to', 'sources'],
        properties: {
            windowSeconds: { type: 'integer' },
            from: epochMs('Start of the window'),
            to: epochMs('End of the window'),
            sources: {
                type: 'object',
                description: 'Per source (ais, sensors)',
                additionalProperties: {
                    type: 'object',
                    required: ['events', 'eventsPerSecond'],
                    properties: { events: { type: 'integer' }, eventsPerSecond: { type: 'number' } },
                },
            },
        },
    },
};
