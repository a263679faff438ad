/**
 * `maritime start`: the whole pipeline locally (what `npm start` runs). Azurite and the Cosmos-protocol server
 * start embedded; the local trigger host drives the app's own functions with Event Hub batches from the traffic
 * simulator (default) or a live NMEA feed, serves HTTP on :7071 and fires the timers.
 */
import { parseArgs } from 'node:util';

import type { SourceSpec } from '../../local/sources/index.js';
import { type Command, UsageError } from '../command.js';
import { positiveInt, positiveNumber, STACK_OPTIONS, STACK_USAGE, stackOptions } from './localStack.js';

/** `npm start`'s simulated time: 12 h of traffic replayed 360x faster (2 minutes), then real time. */
export const DEFAULT_TIME_SCALE = 360;
export const DEFAULT_HISTORY_HOURS = 12;

const USAGE = `Usage: maritime start [--listen URL] [simulator options] [local stack options]

Runs the pipeline locally until Ctrl-C: events -> Event Hub 'ais-raw' (local) -> ingestAis -> lake + vessel state,
HTTP on http://127.0.0.1:7071/api. With no --listen, a built-in traffic simulator emits realistic NMEA
(types 1/2/3, 5, 18, 24) for a fleet moving between real ports.

Event source:
  --listen URL        a live NMEA feed instead of the simulator: udp://0.0.0.0:10110 (receive datagrams),
                      tcp://HOST:PORT (connect to a receiver's NMEA server, e.g. AIS-catcher), or
                      tcp-listen://0.0.0.0:PORT (accept pushed NMEA)
Simulator:
  --rate N            events per second (default 200)
  --vessels N         fleet size (default 200)
  --duplicate-rate F  share of messages heard twice by different receivers (default 0.02)
  --corrupt-rate F    share of sentences with a broken checksum or a truncated payload (default 0.01)
  --seed N            PRNG seed (default 1)
  --sensor-rate N     simulated sensor readings per second for the fleet (default 20; faults injected: spikes,
                      drifts, stuck values, unit mix-ups, unknown units)
  --no-sensors        no simulated sensor readings (and no degradation simulator)
  --degradation-vessels N
                      vessels whose main engine bearing, turbocharger and fuel filter degrade towards failures,
                      with the maintenance log the crew writes, for the maintenance model (default 10; 0 = none)
  --backfill-days N   days of their sensor history and log sent in the background at start, then sensor_hourly
                      is built and the model scores, so equipment health shows within a minute or two (default 21;
                      0 = live only; at most 28, as readings older than EVENT_TIME_MAX_AGE_DAYS, 30, are
                      quarantined). With a data folder, a restart continues the same simulation.
  --time-scale N      simulated time runs N times faster than the wall clock (default ${DEFAULT_TIME_SCALE}) from
                      --history-hours before now until it catches up with the wall clock, then in real time: port
                      calls, voyages and emissions show in gold within about 2 minutes, and no event time is ever in
                      the future. buildGold, buildSensorHourly and checkCompliance then run every minute. The AIS,
                      sensor, degradation and staging simulators share that clock. 1 = real time from now.
  --history-hours H   how far back simulated time starts (default ${DEFAULT_HISTORY_HOURS} with a time scale above 1, at
                      most 168; with a data folder never before where the last run stopped)
  --no-encounters     no staged close-quarters encounters (by default a pair of vessels on converging courses
                      appears near a port every 2 simulated minutes, for the collision watch)
  --no-staging        no staged compliance scenarios (by default three extra vessels with a back-dated history:
                      a 13 h AIS dark gap mid-Atlantic, a speeder in a right whale zone in season, 0.8 % fuel
                      sulphur in the North Sea ECA; checkCompliance reports them within 5 minutes)
${STACK_USAGE}
`;

export const startCommand: Command = {
    name: 'start',
    summary: 'run the whole pipeline locally (simulator or live feed), HTTP on :7071',
    usage: USAGE,
    async run(argv) {
        const { values } = parseArgs({
            args: argv,
            options: {
                ...STACK_OPTIONS,
                listen: { type: 'string' },
                rate: { type: 'string' },
                vessels: { type: 'string' },
                'duplicate-rate': { type: 'string' },
                'corrupt-rate': { type: 'string' },
                seed: { type: 'string' },
                'sensor-rate': { type: 'string' },
                'no-sensors': { type: 'boolean', default: false },
                'degradation-vessels': { type: 'string' },
                'backfill-days': { type: 'string' },
                'no-encounters': { type: 'boolean', default: false },
                'time-scale': { type: 'string' },
                'history-hours': { type: 'string' },
                'no-staging': { type: 'boolean', default: false },
            },
            strict: true,
            allowPositionals: false,
        });
        if (values.help) {
            process.stdout.write(USAGE);
            return 0;
        }
        let source: SourceSpec;
        if (values.listen) {
            if (!/^(udp|tcp|tcp-listen):\/\//.test(values.listen)) {
                throw new UsageError(
                    `--listen must be udp://HOST:PORT, tcp://HOST:PORT or tcp-listen://HOST:PORT; got '${values.listen}'`,
                );
            }
            if (values['time-scale'] !== undefined || values['history-hours'] !== undefined) {
                throw new UsageError(
                    '--time-scale and --history-hours apply to the simulator, not to a live feed (--listen)',
                );
            }
            source = { kind: 'listen', url: values.listen };
        } else {
            const timeScale =
                positiveNumber('time-scale', values['time-scale'], 100_000) ?? DEFAULT_TIME_SCALE;
            if (timeScale < 1)
                throw new UsageError(
                    `--time-scale must be at least 1 (simulated time never runs slower than the wall clock); got '${values['time-scale']}'`,
                );
            const historyHours =
                positiveNumber('history-hours', values['history-hours'], 168) ??
                (timeScale > 1 ? DEFAULT_HISTORY_HOURS : 0);
            if (historyHours > 0 && timeScale === 1)
                throw new UsageError(
                    '--history-hours needs --time-scale above 1 (simulated time must catch up with the wall clock)',
                );
            const options = {
                rate: positiveNumber('rate', values.rate, 100_000),
                vessels: positiveInt('vessels', values.vessels),
                duplicateRate: positiveNumber('duplicate-rate', values['duplicate-rate'], 1),
                corruptRate: positiveNumber('corrupt-rate', values['corrupt-rate'], 1),
                seed: positiveInt('seed', values.seed, 0),
            };
            source = {
                kind: 'simulator',
                options: {
                    ...Object.fromEntries(Object.entries(options).filter(([, v]) => v !== undefined)),
                    encounters: !values['no-encounters'],
                    ...(historyHours > 0 ? { timeScale, historyMs: historyHours * 3_600_000 } : {}),
                },
            };
        }
        const sensorRate = positiveNumber('sensor-rate', values['sensor-rate'], 10_000);
        const degradationVessels = positiveInt('degradation-vessels', values['degradation-vessels'], 0);
        const backfillDays = positiveInt('backfill-days', values['backfill-days'], 0, 28);
        await (
            await import('../../local/run.js')
        ).runLocal({
            ...stackOptions(values),
            source,
            sensors: values['no-sensors'] ? false : sensorRate !== undefined ? { rate: sensorRate } : {},
            degradation: {
                ...(degradationVessels === undefined ? {} : { vessels: degradationVessels }),
                ...(backfillDays === undefined ? {} : { backfillDays }),
            },
            staging: !values['no-staging'],
        });
        // Serves until Ctrl-C (runLocal installs the handler that drains, saves and exits).
        await new Promise<never>(() => undefined);
        return 0;
    },
};
