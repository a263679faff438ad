/**
 * `maritime send`: publishes AIS to a real Event Hub (partition key = MMSI, batched), from files, a live NMEA
 * feed or the simulator. Identity (DefaultAzureCredential) with --namespace, or a connection string.
 */
import { parseArgs } from 'node:util';

import type { SourceSpec } from '../../local/sources/index.js';
import type { SourceEvent } from '../../local/sources/types.js';
import type { EventHubSender, SendResult } from '../../shared/adapters/EventHubSender.js';
import { type Command, UsageError } from '../command.js';
import { positiveNumber } from './localStack.js';

const USAGE = `Usage: maritime send (FILE... | --listen URL | --simulate) [--namespace NS | --connection-string CS] [--hub NAME]

Publishes events to an Azure Event Hub, batched per partition key (the MMSI), one event per NMEA message
(fragments kept together), JSON line or CSV row. Events that cannot be sent (the hub unreachable, a
batch refused, an event too large) are printed to stderr, each as a JSON line {"reason","message","event"},
after a line naming the cause; the exit code is then 1. A file nothing can be sent from (a CSV in another schema
than MarineCadastre's, a binary or empty file, only lines that are not AIS data) is named once on stderr
(UNSUPPORTED FILE, NO DATA IN FILE) and also makes the exit code 1; $GPRMC and other sentences are not sent.

  FILE...                  NMEA, JSON lines or MarineCadastre CSV files (format sniffed per file)
  --listen URL             a live feed: udp://0.0.0.0:10110, tcp://HOST:PORT or tcp-listen://0.0.0.0:PORT
  --simulate               the built-in traffic simulator (--rate N events/s, default 200)
  --namespace NS           Event Hubs namespace host (NS.servicebus.windows.net), signed in with
                           DefaultAzureCredential (az login, managed identity, ...); needs Azure Event Hubs Data Sender
                           (default: env EventHubConnection__fullyQualifiedNamespace)
  --connection-string CS   a connection string instead (default: env EVENTHUB_SEND_CONNECTION_STRING); note that
                           the Bicep template disables local auth, so keys only work on other namespaces or the emulator
  --hub NAME               event hub (default: env AIS_EVENTHUB_NAME or ais-raw)
  --rate N                 events per second for files and the simulator (default: as fast as possible / 200)
`;

/**
 * The progress line (`sent N events ...`) rewritten in place on a terminal, and the lines printed between its
 * updates (causes, unsent events as JSON) each on a line of their own, never glued to it.
 */
class ProgressLine {
    private shown = false;

    constructor(private readonly out: NodeJS.WriteStream) {}

    update(text: string): void {
        if (!this.out.isTTY) return;
        this.out.write(`\r${text}`);
        this.shown = true;
    }

    line(text: string): void {
        this.end();
        this.out.write(`${text}\n`);
    }

    end(): void {
        if (this.shown) this.out.write('\n');
        this.shown = false;
    }
}

export const sendCommand: Command = {
    name: 'send',
    summary: 'publish files, a live NMEA feed or simulated traffic to an Azure Event Hub',
    usage: USAGE,
    async run(argv) {
        const { values, positionals } = parseArgs({
            args: argv,
            options: {
                listen: { type: 'string' },
                simulate: { type: 'boolean', default: false },
                namespace: { type: 'string' },
                'connection-string': { type: 'string' },
                hub: { type: 'string' },
                rate: { type: 'string' },
                help: { type: 'boolean', short: 'h', default: false },
            },
            strict: true,
            allowPositionals: true,
        });
        if (values.help) {
            process.stdout.write(USAGE);
            return 0;
        }
        const chosen = [positionals.length > 0, values.listen !== undefined, values.simulate].filter(
            Boolean,
        ).length;
        if (chosen !== 1)
            throw new UsageError('give exactly one source: FILE..., --listen URL or --simulate');
        const rate = positiveNumber('rate', values.rate, 1_000_000);
        const hub = values.hub ?? process.env.AIS_EVENTHUB_NAME ?? 'ais-raw';
        const connectionString = values['connection-string'] ?? process.env.EVENTHUB_SEND_CONNECTION_STRING;
        const namespace = values.namespace ?? process.env.EventHubConnection__fullyQualifiedNamespace;
        // Loaded here, not at the top: `maritime decode` should not pay for the Event Hubs SDK at start-up.
        const { EventHubSender } = await import('../../shared/adapters/EventHubSender.js');
        const { createSource } = await import('../../local/sources/index.js');
        const { fileProblems, ReplaySource } = await import('../../local/sources/ReplaySource.js');
        let sender: EventHubSender;
        if (connectionString) sender = EventHubSender.fromConnectionString(connectionString, hub);
        else if (namespace) sender = EventHubSender.fromNamespace(namespace, hub);
        else throw new UsageError('give --namespace NS (identity) or --connection-string CS');

        const spec: SourceSpec =
            positionals.length > 0
                ? { kind: 'replay', files: positionals, ...(rate ? { rate } : {}) }
                : values.listen
                  ? { kind: 'listen', url: values.listen }
                  : { kind: 'simulator', options: rate ? { rate } : {} };
        const source = createSource(spec);
        const totals: SendResult = { sent: 0, batches: 0, failed: 0, errors: [] };
        const target = `event hub '${hub}' on ${connectionString ? "the connection string's namespace" : namespace}`;
        const progress = new ProgressLine(process.stderr);
        const causes = new Set<string>();
        const emit = async (events: SourceEvent[]): Promise<void> => {
            const r = await sender.send(events);
            totals.sent += r.sent;
            totals.batches += r.batches;
            totals.failed += r.failed;
            for (const e of r.errors) {
                const cause = e.message.replace(/^not attempted: /, '');
                if (!causes.has(cause)) {
                    causes.add(cause);
                    progress.line(`maritime send: cannot send to ${target}: ${cause}`);
                }
                // Nothing is dropped silently: every event that could not be sent is written to stderr as JSON.
                for (const ev of e.events)
                    progress.line(JSON.stringify({ reason: e.reason, message: e.message, event: ev }));
            }
            progress.update(
                `sent ${totals.sent} events in ${totals.batches} batches, failed ${totals.failed}`,
            );
        };
        const summary = (): number => {
            progress.end();
            // Files nothing could be sent from (a CSV in another schema, an empty file) are said once and fail the
            // command, as in `maritime replay`: "sent 0 events" alone would pass in silence.
            const problems = source instanceof ReplaySource ? fileProblems(source.stats) : [];
            for (const p of problems) process.stderr.write(`maritime send: ${p}\n`);
            if (totals.failed === 0) {
                process.stderr.write(
                    `maritime send: sent ${totals.sent} events in ${totals.batches} batches to ${target}\n`,
                );
                return problems.length > 0 ? 1 : 0;
            }
            process.stderr.write(
                `maritime send: ${totals.failed} event(s) NOT sent (${totals.sent} sent) to ${target}: ${[...causes].join('; ')}\n` +
                    'maritime send: each unsent event is printed above as a JSON line {"reason","message","event"}\n',
            );
            return 1;
        };
        const stop = async (): Promise<void> => {
            await source.stop();
            await sender.close().catch(() => undefined);
        };
        process.once('SIGINT', () => void stop().then(() => process.exit(summary())));
        await source.start(emit);
        if (source.done) {
            await source.done;
            await stop();
            return summary();
        }
        await new Promise<never>(() => undefined);
        return 0;
    },
};
