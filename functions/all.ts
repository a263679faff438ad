import type { FunctionDefinition } from './definitions.js';
import { getHealthDefinition } from './getHealth.js';
import { getVesselDefinition } from './getVessel.js';
import { getVesselsDefinition } from './getVessels.js';
import { getVesselTrackDefinition } from './getVesselTrack.js';
import { ingestAisDefinition } from './ingestAis.js';

/** Every function of the app, for the Azure registration and the local host. */
export const FUNCTIONS: readonly FunctionDefinition[] = [
    ingestAisDefinition,
    getVesselsDefinition,
    getVesselDefinition,
    getVesselTrackDefinition,
    getHealthDefinition,
];
