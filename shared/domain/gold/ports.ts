/** The port index of the port calls, from the compiled-in ports table (`shared/data/ports.tsv`). */
import { PORT_ROWS } from '../reference/ports.js';
import { DEFAULT_PORT_CALL_RULES, type Port, type PortCallRules, PortIndex } from './portCalls.js';

export function portsFromTable(): Port[] {
    return PORT_ROWS.map(([locode, name, , lat, lon, radiusNm]) => ({ locode, name, lat, lon, radiusNm }));
}

export function createPortIndex(rules: PortCallRules = DEFAULT_PORT_CALL_RULES): PortIndex {
    return new PortIndex(portsFromTable(), rules);
}
