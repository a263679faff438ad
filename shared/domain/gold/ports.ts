/** The port index of the port calls, over the one port list (`shared/data/ports.tsv`, compiled in). */
import { portList } from '../reference/lookup.js';
import { DEFAULT_PORT_CALL_RULES, type PortCallRules, PortIndex } from './portCalls.js';

export function createPortIndex(rules: PortCallRules = DEFAULT_PORT_CALL_RULES): PortIndex {
    return new PortIndex(portList(), rules);
}
