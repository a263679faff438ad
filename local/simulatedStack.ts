/**
 * The stack `npm start` runs (embedded services, local trigger host, traffic and sensor simulators), started
 * programmatically and stopped by the caller: for the browser test and `npm run bench:api`, on free ports and in
 * memory, without the CLI's progress line and signal handlers.
 */
import speedZonesFile from '../config/speed-zones.json' with { type: 'json' };
import { parseSpeedZones } from '../shared/domain/compliance/index.js';
import { SensorSimulatorSource } from './simulator/SensorSimulatorSource.js';
import { SimulatorSource } from './simulator/SimulatorSource.js';
import { ComplianceStaging } from './simulator/staging.js';
import { type Stack, type StackOptions, startStack } from './stack.js';

export interface SimulatedStackOptions extends StackOptions {
    /** AIS events per second (default 200). */
    rate?: number;
    vessels?: number;
    /** Sensor readings per second (default 20; 0 = none). */
    sensorRate?: number;
    seed?: number;
    /** Staged compliance scenarios (dark gap, speeder, high sulphur; default on). */
    staging?: boolean;
}

export interface SimulatedStack {
    stack: Stack;
    /** `http://127.0.0.1:<port>/api` */
    baseUrl: string;
    /** The staged compliance scenarios, when on. */
    staging: ComplianceStaging | undefined;
    stop(): Promise<void>;
}

export async function startSimulatedStack(options: SimulatedStackOptions = {}): Promise<SimulatedStack> {
    const stack = await startStack({ inMemory: true, httpPort: 0, ...options });
    const source = new SimulatorSource({
        rate: options.rate ?? 200,
        vessels: options.vessels ?? 200,
        seed: options.seed ?? 1,
        encounters: true,
    });
    const sensors =
        (options.sensorRate ?? 20) > 0
            ? new SensorSimulatorSource({ rate: options.sensorRate ?? 20, fleet: source.fleet })
            : undefined;
    await source.start((events) => stack.publish(events));
    await sensors?.start((events) => stack.publish(events, 'sensor-readings'));
    const staging =
        options.staging === false
            ? undefined
            : new ComplianceStaging({ speedZones: parseSpeedZones(speedZonesFile) });
    await staging?.start(
        (events) => stack.publish(events),
        (events) => stack.publish(events, 'sensor-readings'),
    );
    return {
        stack,
        baseUrl: stack.baseUrl,
        staging,
        async stop() {
            await source.stop();
            await sensors?.stop();
            await staging?.stop();
            await stack.stop();
        },
    };
}
