import { describe, expect, it } from '@jest/globals';

import {
    childExecArgv,
    needsMallocReexec,
    REEXEC_MARKER,
    type ReexecContext,
} from '../../../cli/mallocReexec.js';
import { SEMI_SPACE_MB } from '../../../local/heapTrim.js';
import { isRelayedSignal, StopSignalCounter } from '../../../local/stopSignals.js';

const linux: ReexecContext = {
    command: 'start',
    env: {},
    platform: 'linux',
    execArgv: [],
    glibc: () => '2.36',
};

describe('maritime start/replay/rebuild under the malloc settings', () => {
    it('starts the long-running local commands again on Linux with glibc', () => {
        for (const command of ['start', 'replay', 'rebuild'])
            expect(needsMallocReexec({ ...linux, command })).toBe(true);
    });

    it('not the short commands, nor a command that is already the re-started child', () => {
        for (const command of ['decode', 'send', 'gold', 'compact', undefined])
            expect(needsMallocReexec({ ...linux, command })).toBe(false);
        expect(needsMallocReexec({ ...linux, env: { [REEXEC_MARKER]: '1' } })).toBe(false);
    });

    it('not when the user set MALLOC_ARENA_MAX (0 = glibc default: the way to opt out)', () => {
        expect(needsMallocReexec({ ...linux, env: { MALLOC_ARENA_MAX: '0' } })).toBe(false);
        expect(needsMallocReexec({ ...linux, env: { MALLOC_ARENA_MAX: '4' } })).toBe(false);
    });

    it('not off Linux, without glibc (musl), or under an inspector', () => {
        expect(needsMallocReexec({ ...linux, platform: 'darwin' })).toBe(false);
        expect(needsMallocReexec({ ...linux, platform: 'win32' })).toBe(false);
        expect(needsMallocReexec({ ...linux, glibc: () => undefined })).toBe(false);
        expect(needsMallocReexec({ ...linux, execArgv: ['--inspect=9229'] })).toBe(false);
        expect(needsMallocReexec({ ...linux, execArgv: ['--inspect-brk'] })).toBe(false);
    });
});

describe("the re-started child's Node options", () => {
    it("keep the parent's and size the main thread's young generation", () => {
        expect(childExecArgv([])).toEqual([`--max-semi-space-size=${SEMI_SPACE_MB}`]);
        expect(childExecArgv(['--enable-source-maps'])).toEqual([
            '--enable-source-maps',
            `--max-semi-space-size=${SEMI_SPACE_MB}`,
        ]);
    });

    it('leave a young generation sized on the command line as it is', () => {
        expect(childExecArgv(['--max-semi-space-size=16'])).toEqual(['--max-semi-space-size=16']);
    });
});

describe('stop signals received and relayed by the parent', () => {
    it("a terminal's Ctrl-C (the signal and its relay, in either order) is one stop request", () => {
        const a = new StopSignalCounter();
        expect(a.received() + a.relayed()).toBe(1);
        const b = new StopSignalCounter();
        expect(b.relayed() + b.received()).toBe(1);
    });

    it('a second Ctrl-C is a second request, however the two pairs interleave', () => {
        const c = new StopSignalCounter();
        expect([c.received(), c.received(), c.relayed(), c.relayed()]).toEqual([1, 1, 0, 0]);
        const d = new StopSignalCounter();
        expect([d.relayed(), d.received(), d.relayed(), d.received()]).toEqual([1, 0, 1, 0]);
    });

    it('kill of the parent alone (relays only) or of the stack alone (signals only) counts each', () => {
        const parent = new StopSignalCounter();
        expect([parent.relayed(), parent.relayed()]).toEqual([1, 1]);
        const stack = new StopSignalCounter();
        expect([stack.received(), stack.received()]).toEqual([1, 1]);
    });

    it('recognises only relay messages', () => {
        expect(isRelayedSignal({ maritimeSignal: 'SIGINT' })).toBe(true);
        expect(isRelayedSignal({ maritimeSignal: 'SIGTERM' })).toBe(true);
        expect(isRelayedSignal({ maritimeSignal: 'SIGKILL' })).toBe(false);
        expect(isRelayedSignal(null)).toBe(false);
        expect(isRelayedSignal('SIGINT')).toBe(false);
    });
});
