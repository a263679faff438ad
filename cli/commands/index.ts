/** The `maritime` command table. Other subcommands (replay, send, start, ...) are added here. */
import type { Command } from '../command.js';
import { decodeCommand } from './decode.js';

export const commands: readonly Command[] = [decodeCommand];
