import { listVessels } from '../shared/app/queries.js';
import { ref } from './apiSchemas.js';
import {
    CONTINUATION_PARAMETER,
    type FunctionDefinition,
    LIMIT_PARAMETER,
    timeParameter,
} from './definitions.js';
import { jsonRoute } from './http.js';

/** GET /api/vessels?bbox=minLon,minLat,maxLon,maxLat&updatedSince=&category=&limit=&continuation= */
export const getVessels = jsonRoute((rt, request) => listVessels((n) => request.query.get(n), rt.vessels));

export const getVesselsDefinition: FunctionDefinition = {
    name: 'getVessels',
    trigger: 'http',
    options: { methods: ['GET'], authLevel: 'function', route: 'vessels' },
    handler: getVessels,
    api: {
        summary: 'List vessels (latest state), filtered by area, freshness and category',
        tags: ['vessels'],
        parameters: [
            {
                name: 'bbox',
                in: 'query',
                description:
                    'Only vessels whose latest position is inside: minLon,minLat,maxLon,maxLat in degrees, min <= max.',
                schema: { type: 'string', pattern: '^-?[\\d.]+,-?[\\d.]+,-?[\\d.]+,-?[\\d.]+$' },
                example: '-10,35,30,60',
            },
            timeParameter('updatedSince', 'Only vessels seen at or after this time.'),
            {
                name: 'category',
                in: 'query',
                description: 'Ship type category, e.g. cargo, tanker, passenger, fishing.',
                schema: { type: 'string', pattern: '^[a-z-]{1,40}$' },
            },
            LIMIT_PARAMETER,
            CONTINUATION_PARAMETER,
        ],
        response: { description: 'A page of vessels', schema: ref('VesselPage') },
        errors: [400, 503],
    },
};
