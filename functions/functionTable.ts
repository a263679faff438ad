import { buildGoldDefinition } from './buildGold.js';
import { buildGoldShardDefinition } from './buildGoldShard.js';
import { buildSensorHourlyDefinition } from './buildSensorHourly.js';
import { checkComplianceDefinition } from './checkCompliance.js';
import { compactSilverDefinition } from './compactSilver.js';
import type { FunctionDefinition } from './definitions.js';
import { getAlertsDefinition } from './getAlerts.js';
import { getApiDocsDefinition } from './getApiDocs.js';
import { getDashboardDefinition } from './getDashboard.js';
import { getDashboardAssetDefinition } from './getDashboardAsset.js';
import { getDataQualityDefinition } from './getDataQuality.js';
import { getFindingsDefinition } from './getFindings.js';
import { getFleetCiiDefinition } from './getFleetCii.js';
import { getFleetMaintenanceDefinition } from './getFleetMaintenance.js';
import { getFleetSummaryDefinition } from './getFleetSummary.js';
import { getHealthDefinition } from './getHealth.js';
import { getIngestRateDefinition } from './getIngestRate.js';
import { getOpenApiDefinition } from './getOpenApi.js';
import { getPortCallsDefinition } from './getPortCalls.js';
import { getVesselDefinition } from './getVessel.js';
import { getVesselCiiDefinition } from './getVesselCii.js';
import { getVesselDailyDefinition } from './getVesselDaily.js';
import { getVesselEmissionsDefinition } from './getVesselEmissions.js';
import { getVesselEquipmentDefinition } from './getVesselEquipment.js';
import { getVesselFindingsDefinition } from './getVesselFindings.js';
import { getVesselPortCallsDefinition } from './getVesselPortCalls.js';
import { getVesselsDefinition } from './getVessels.js';
import { getVesselSensorHistoryDefinition } from './getVesselSensorHistory.js';
import { getVesselSensorsDefinition } from './getVesselSensors.js';
import { getVesselTrackDefinition } from './getVesselTrack.js';
import { getVesselVoyagesDefinition } from './getVesselVoyages.js';
import { ingestAisDefinition } from './ingestAis.js';
import { ingestMaintenanceEventsDefinition } from './ingestMaintenanceEvents.js';
import { ingestSensorReadingsDefinition } from './ingestSensorReadings.js';
import { scoreMaintenanceDefinition } from './scoreMaintenance.js';
import { watchCollisionsDefinition } from './watchCollisions.js';

/** The function table: every function of the app, for the Azure registration, the local host and the OpenAPI document. */
export const FUNCTIONS: readonly FunctionDefinition[] = [
    ingestAisDefinition,
    ingestSensorReadingsDefinition,
    ingestMaintenanceEventsDefinition,
    watchCollisionsDefinition,
    buildGoldDefinition,
    buildGoldShardDefinition,
    buildSensorHourlyDefinition,
    checkComplianceDefinition,
    compactSilverDefinition,
    scoreMaintenanceDefinition,
    getVesselsDefinition,
    getVesselDefinition,
    getVesselTrackDefinition,
    getVesselSensorsDefinition,
    getVesselSensorHistoryDefinition,
    getVesselDailyDefinition,
    getVesselPortCallsDefinition,
    getVesselVoyagesDefinition,
    getVesselEmissionsDefinition,
    getPortCallsDefinition,
    getFleetSummaryDefinition,
    getVesselEquipmentDefinition,
    getFleetMaintenanceDefinition,
    getVesselCiiDefinition,
    getFleetCiiDefinition,
    getDataQualityDefinition,
    getAlertsDefinition,
    getFindingsDefinition,
    getVesselFindingsDefinition,
    getHealthDefinition,
    getIngestRateDefinition,
    getOpenApiDefinition,
    getApiDocsDefinition,
    getDashboardDefinition,
    getDashboardAssetDefinition,
];
