/**
 * The stack `npm start` runs (embedded services, local trigger host, traffic and sensor simulators), started
 * programmatically and stopped by the caller: for the browser test and `npm run bench:api`, on free ports and in
 * memory, without the CLI's progress line and signal handlers.
 */
import { SensorSimulatorSource } from './simulator/SensorSimulatorSource.js';
import { SimulatorSource } from './simulator/SimulatorSource.js';
import { type Stack, type StackOptions, startStack } from './stack.js';

export interface SimulatedStackOptions extends StackOptions {
    /** AIS events per second (default 200). */
    rate?: number;
    vessels?: number;
    /** Sensor readings per second (default 20; 0 = none). */
    sensorRate?: number;
    seed?: number;
}

export interface SimulatedStack {
    stack: Stack;
    /** `http://127.0.0.1:<port>/api` */
    baseUrl: string;
    stop(): Promise<void>;
}

export async function startSimulatedStack(options: SimulatedStackOptions = {}): Promise<SimulatedStack> {
    const stack = await startStack({ inMemory: true, httpPort: 0, ...options });
    const source = new SimulatorSource({ rate: options.rate ?? 200, vessels: options.vessels ?? 200, seed: options.seed ?? 1, encounters: true });
    const sensors = (options.sensorRate ?? 20) > 0 ? new SensorSimulatorSource({ rate: options.sensorRate ?? 20, fleet: source.fleet }) : undefined;
    await source.start((events) => stack.publish(events));
    await sensors?.start((events) => stack.publish(events, 'sensor-readings'));
    return {
        stack,
        baseUrl: stack.baseUrl,
        async stop() {
            await source.stop();
            await sensors?.stop();
            await stack.stop();
        },
    };
}
