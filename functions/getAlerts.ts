import { listAlerts } from '../shared/app/queries.js';
import { ALERT_KINDS, ALERT_SEVERITIES } from '../shared/domain/alerts/alert.js';
import { ref } from './apiSchemas.js';
import {
    CONTINUATION_PARAMETER,
    type FunctionDefinition,
    LIMIT_PARAMETER,
    MMSI_PATH_PARAMETER,
    timeParameter,
} from './definitions.js';
import { jsonRoute } from './http.js';

/** GET /api/alerts?since=&kind=&severity=&mmsi=&limit=&continuation= (newest first). */
export const getAlerts = jsonRoute((rt, request) => listAlerts((n) => request.query.get(n), rt.alerts));

export const getAlertsDefinition: FunctionDefinition = {
    name: 'getAlerts',
    trigger: 'http',
    options: { methods: ['GET'], authLevel: 'function', route: 'alerts' },
    handler: getAlerts,
    api: {
        summary:
            'Alerts (sensor thresholds and anomalies, zone entry and exit, collision risk), newest first',
        tags: ['alerts'],
        parameters: [
            timeParameter('since', 'Only alerts at or after this event time.'),
            {
                name: 'kind',
                in: 'query',
                description: 'Only this kind.',
                schema: { type: 'string', enum: [...ALERT_KINDS] },
            },
            {
                name: 'severity',
                in: 'query',
                description: 'Only this severity.',
                schema: { type: 'string', enum: [...ALERT_SEVERITIES] },
            },
            { ...MMSI_PATH_PARAMETER, in: 'query', description: 'Only alerts about this vessel.' },
            LIMIT_PARAMETER,
            CONTINUATION_PARAMETER,
        ],
        response: { description: 'A page of alerts, newest first', schema: ref('AlertPage') },
        errors: [400, 503],
    },
};
