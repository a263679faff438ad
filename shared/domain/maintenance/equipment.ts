/**
 * The equipment the maintenance model knows: what each piece is, which sensor series shows its condition, and
 * how its indicator depends on engine load. Pure data, no I/O.
 *
 * One indicator per equipment kind (the physics of the simulated degradation modes):
 * - `bearing`: main engine / shaft bearing wear shows as rising vibration velocity RMS (ISO 20816);
 * - `turbocharger`: a fouled turbocharger delivers less scavenge air, so the exhaust gas temperature rises at
 *   constant load;
 * - `fuel-filter`: a clogging filter shows a growing pressure drop across it.
 * Every indicator also moves with the load, so the features compare it with what the equipment's own baseline
 * predicts at that load (`features.ts`).
 */
import type { QuantityId } from '../sensors/units.js';

export const EQUIPMENT_KINDS = ['bearing', 'turbocharger', 'fuel-filter'] as const;
export type EquipmentKind = (typeof EQUIPMENT_KINDS)[number];

export interface EquipmentSpec {
    kind: EquipmentKind;
    /** Equipment id used in the maintenance log and the API (per vessel). */
    equipmentId: string;
    /** The sensor whose readings show the condition. */
    sensorId: string;
    quantity: QuantityId;
    /**
     * The fixed alarm setpoint an operator would configure today (canonical unit): the threshold-only baseline
     * raises an alarm on a day whose hourly mean crosses it. Vibration: ISO 20816-3 zone C/D boundary for a
     * medium machine on a rigid foundation (7.1 mm/s); exhaust: the warning tier of config/sensor-rules.json
     * (450 degC); filter: a typical "change filter" differential of 0.8 bar.
     */
    alarmSetpoint: number;
    description: string;
}

// prettier-ignore
export const EQUIPMENT: readonly EquipmentSpec[] = Object.freeze([
    { kind: 'bearing', equipmentId: 'ME1-BRG', sensorId: 'ME1-BRG-VIB', quantity: 'vibration_rms', alarmSetpoint: 7.1, description: 'Main engine / shaft bearing: wear raises the vibration velocity RMS.' },
    { kind: 'turbocharger', equipmentId: 'ME1-TC', sensorId: 'ME1-EXH-T1', quantity: 'exhaust_temperature', alarmSetpoint: 450, description: 'Main engine turbocharger: fouling raises the exhaust gas temperature at constant load.' },
    { kind: 'fuel-filter', equipmentId: 'FO-FILTER', sensorId: 'FO-FLT-DP', quantity: 'filter_pressure_drop', alarmSetpoint: 800, description: 'Fuel oil filter: clogging grows the pressure drop across it.' },
] as const);

/** The sensor that gives the engine load: shaft power, relative to the vessel's own typical power. */
export const LOAD_SENSOR = { sensorId: 'SHAFT1-PWR', quantity: 'shaft_power' as QuantityId };

const BY_ID = new Map(EQUIPMENT.map((e) => [e.equipmentId, e]));
const BY_SENSOR = new Map(EQUIPMENT.map((e) => [`${e.sensorId}|${e.quantity}`, e]));

/** The spec of an equipment id, or undefined. */
export function equipmentSpec(equipmentId: string): EquipmentSpec | undefined {
    return BY_ID.get(equipmentId);
}

/** The equipment whose condition a sensor series shows, or undefined. */
export function equipmentForSensor(sensorId: string, quantity: string): EquipmentSpec | undefined {
    return BY_SENSOR.get(`${sensorId}|${quantity}`);
}
