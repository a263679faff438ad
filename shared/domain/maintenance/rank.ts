/**
 * Scores one day for a fleet's equipment and ranks it by risk: the computation behind the planned
 * `/api/fleet/maintenance` and `/api/vessels/{mmsi}/equipment` (not wired to a timer or endpoint yet). Pure.
 */
import { equipmentDayFeatures, type EquipmentHistory, type FeatureOptions } from './features.js';
import { type Contribution, type MaintenanceModel, score } from './model.js';

export interface EquipmentRisk {
    mmsi: number;
    equipmentId: string;
    kind: string;
    /** Start of the scored UTC day, epoch ms. */
    day: number;
    probability: number;
    health: number;
    alarm: boolean;
    contributions: Contribution[];
}

/**
 * Scores `day` for every history that can be scored that day (equipment down or without a baseline yet are left
 * out) and returns them by falling probability (ties: MMSI, then equipment id, so the order is stable).
 * @param alertProbability alarm threshold; default the model's own (best F1 on the training vessels)
 */
export function rankEquipment(
    histories: readonly EquipmentHistory[],
    day: number,
    model: MaintenanceModel,
    alertProbability = model.threshold,
    opts?: FeatureOptions,
): EquipmentRisk[] {
    const out: EquipmentRisk[] = [];
    for (const h of histories) {
        for (const row of equipmentDayFeatures(h, [day], opts)) {
            const s = score(model, row.values, 3, alertProbability);
            out.push({ mmsi: row.mmsi, equipmentId: row.equipmentId, kind: row.kind, day, ...s });
        }
    }
    out.sort(
        (a, b) =>
            b.probability - a.probability ||
            a.mmsi - b.mmsi ||
            (a.equipmentId < b.equipmentId ? -1 : a.equipmentId > b.equipmentId ? 1 : 0),
    );
    return out;
}
