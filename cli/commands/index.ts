/**
 * The `maritime` command table. Each command's module is imported only when that command runs, so a command
 * does not pay for the start-up of the others (`decode` does not load the Azure SDKs or h3-js).
 */
import type { Command } from '../command.js';

export interface CommandEntry {
    name: string;
    load(): Promise<Command>;
}

export const commands: readonly CommandEntry[] = [
    { name: 'start', load: async () => (await import('./start.js')).startCommand },
    { name: 'replay', load: async () => (await import('./replay.js')).replayCommand },
    { name: 'rebuild', load: async () => (await import('./rebuild.js')).rebuildCommand },
    { name: 'decode', load: async () => (await import('../decode/entry.js')).decodeCommand },
    { name: 'send', load: async () => (await import('./send.js')).sendCommand },
    { name: 'cii', load: async () => (await import('./cii.js')).ciiCommand },
    { name: 'emissions', load: async () => (await import('./emissions.js')).emissionsCommand },
    {
        name: 'train-maintenance',
        load: async () => (await import('./maintenance.js')).trainMaintenanceCommand,
    },
    { name: 'eval-maintenance', load: async () => (await import('./maintenance.js')).evalMaintenanceCommand },
    { name: 'gold', load: async () => (await import('./gold.js')).goldCommand },
    { name: 'compact', load: async () => (await import('./compact.js')).compactCommand },
    { name: 'lineage', load: async () => (await import('./compact.js')).lineageCommand },
    { name: 'setup', load: async () => (await import('./setup.js')).setupCommand },
];
