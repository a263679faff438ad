import { describe, expect, it } from '@jest/globals';

import { createEventHubProducer, tlsToIpProblem } from '../../../shared/adapters/eventHubProducer.js';

const KEY = 'SharedAccessKeyName=send;SharedAccessKey=c2VjcmV0';

describe('an Event Hubs target addressed by IP', () => {
    it('is refused over TLS, before any connection (no TLS server name set to an IP, no DEP0123 warning)', async () => {
        const warnings: Error[] = [];
        const onWarning = (w: Error): void => void warnings.push(w);
        process.on('warning', onWarning);
        try {
            for (const target of [
                { connectionString: `Endpoint=sb://127.0.0.1:5671/;${KEY}`, eventHubName: 'ais-raw' },
                { connectionString: `Endpoint=sb://[::1]:5671/;${KEY};EntityPath=ais-raw` },
                { fullyQualifiedNamespace: '10.1.2.3', eventHubName: 'ais-raw' },
                { fullyQualifiedNamespace: '::1', eventHubName: 'ais-raw' },
            ]) {
                expect(() => createEventHubProducer(target)).toThrow(
                    /is an IP address: Event Hubs is reached over TLS by the namespace's host name .*UseDevelopmentEmulator=true/,
                );
            }
            expect(
                tlsToIpProblem({ fullyQualifiedNamespace: 'sb://10.1.2.3:5671', eventHubName: 'h' }),
            ).toMatch(/^10\.1\.2\.3 is an IP address/);
            await new Promise((r) => setImmediate(r)); // warnings are emitted on the next tick
            expect(warnings.filter((w) => (w as { code?: string }).code === 'DEP0123')).toEqual([]);
        } finally {
            process.off('warning', onWarning);
        }
    });

    it('is allowed for the emulator (plain AMQP) and for host names', async () => {
        expect(
            tlsToIpProblem({
                connectionString: `Endpoint=sb://127.0.0.1;${KEY};UseDevelopmentEmulator=true`,
            }),
        ).toBeUndefined();
        expect(
            tlsToIpProblem({
                connectionString: `Endpoint=sb://ns.servicebus.windows.net/;${KEY};EntityPath=h`,
            }),
        ).toBeUndefined();
        expect(
            tlsToIpProblem({ fullyQualifiedNamespace: 'ns.servicebus.windows.net', eventHubName: 'h' }),
        ).toBe(undefined);
        expect(
            tlsToIpProblem({ fullyQualifiedNamespace: 'localhost:5671', eventHubName: 'h' }),
        ).toBeUndefined();
        const producer = createEventHubProducer({
            connectionString: `Endpoint=sb://127.0.0.1:1;${KEY};UseDevelopmentEmulator=true`,
            eventHubName: 'h',
        });
        await producer.close();
    });
});
