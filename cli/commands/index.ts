/** The `maritime` command table. */
import type { Command } from '../command.js';
import { ciiCommand } from './cii.js';
import { decodeCommand } from './decode.js';
import { emissionsCommand } from './emissions.js';
import { goldCommand } from './gold.js';
import { evalMaintenanceCommand, trainMaintenanceCommand } from './maintenance.js';
import { rebuildCommand } from './rebuild.js';
import { replayCommand } from './replay.js';
import { sendCommand } from './send.js';
import { startCommand } from './start.js';

export const commands: readonly Command[] = [
    startCommand,
    replayCommand,
    rebuildCommand,
    decodeCommand,
    sendCommand,
    ciiCommand,
    emissionsCommand,
    trainMaintenanceCommand,
    evalMaintenanceCommand,
    goldCommand,
];
