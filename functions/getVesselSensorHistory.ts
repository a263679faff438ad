import { querySensorHistory } from '../shared/app/sensorHistory.js';
import { ref } from './apiSchemas.js';
import { type FunctionDefinition, MMSI_PATH_PARAMETER, timeParameter } from './definitions.js';
import { jsonRoute } from './http.js';

/** GET /api/vessels/{mmsi}/sensors/history?from&to&sensorId&quantity&points: readings from silver, per series. */
export const getVesselSensorHistory = jsonRoute((rt, request) =>
    querySensorHistory(
        request.params.mmsi,
        (n) => request.query.get(n),
        { history: rt.sensorHistory, sensors: rt.sensors, vessels: rt.vessels },
        rt.clock.now(),
    ),
);

export const getVesselSensorHistoryDefinition: FunctionDefinition = {
    name: 'getVesselSensorHistory',
    trigger: 'http',
    options: { methods: ['GET'], authLevel: 'function', route: 'vessels/{mmsi}/sensors/history' },
    handler: getVesselSensorHistory,
    api: {
        summary:
            "A vessel's sensor readings over a time range (silver sensor_readings, canonical units), one series per sensor",
        tags: ['vessels'],
        parameters: [
            MMSI_PATH_PARAMETER,
            timeParameter('from', 'Start of the range (default: 6 hours before `to`).'),
            timeParameter('to', 'End of the range (default: now); at most 48 hours after `from`.'),
            {
                name: 'sensorId',
                in: 'query',
                description: 'Only this sensor.',
                schema: { type: 'string' },
                example: 'ME1.EXH-T',
            },
            {
                name: 'quantity',
                in: 'query',
                description: 'Only this quantity.',
                schema: { type: 'string' },
                example: 'exhaust_temperature',
            },
            {
                name: 'points',
                in: 'query',
                description:
                    'Most points per series, 2-5000 (default 500): longer series are thinned evenly, flagged readings kept.',
                schema: { type: 'integer', minimum: 2, maximum: 5000, default: 500 },
            },
        ],
        response: {
            description:
                'The series in the range (empty when the vessel reported none; 404 when the vessel was never seen)',
            schema: ref('SensorHistory'),
        },
        errors: [400, 404, 503],
    },
};
