/**
 * Every bench script reads its command line through `benchArgs` (bench/lib/args.ts): `--help` prints a usage line
 * made from its options and exits 0, an unknown option or a missing value prints what is wrong and the usage and
 * exits 2, instead of a Node stack trace from parseArgs.
 */
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';

import { describe, expect, it } from '@jest/globals';

import { benchArgs, type BenchArgsIo, usageLine } from '../../../bench/lib/args.js';

class Exit extends Error {
    constructor(readonly code: number) {
        super(`exit ${code}`);
    }
}

function io(argv: string[]): BenchArgsIo & { stdout: string[]; stderr: string[] } {
    const stdout: string[] = [];
    const stderr: string[] = [];
    return {
        argv,
        script: '/repo/dist/bench/soak.js',
        stdout,
        stderr,
        out: (t) => void stdout.push(t),
        err: (t) => void stderr.push(t),
        exit: (code) => {
            throw new Exit(code);
        },
    };
}

const CONFIG = {
    options: {
        minutes: { type: 'string', default: '30' },
        warmup: { type: 'string' },
        builds: { type: 'boolean', default: false },
    },
} as const;

function exitOf(fn: () => unknown): number | undefined {
    try {
        fn();
    } catch (error) {
        if (error instanceof Exit) return error.code;
        throw error;
    }
    return undefined;
}

describe('benchArgs', () => {
    it('parses the options as parseArgs does', () => {
        const { values } = benchArgs(CONFIG, io(['--minutes', '3', '--builds']));
        expect(values).toEqual({ minutes: '3', builds: true });
    });

    it('--help and -h print the usage line on stdout and exit 0', () => {
        for (const flag of ['--help', '-h']) {
            const streams = io(['--minutes', '3', flag]);
            expect(exitOf(() => benchArgs(CONFIG, streams))).toBe(0);
            expect(streams.stdout.join('')).toBe(
                'usage: node dist/bench/soak.js [--minutes 30] [--warmup VALUE] [--builds]\n',
            );
            expect(streams.stderr).toEqual([]);
        }
    });

    it('an unknown option or a missing value: what is wrong and the usage on stderr, exit 2, no stack trace', () => {
        for (const argv of [['--bogus'], ['--minutes'], ['stray']]) {
            const streams = io(argv);
            expect(exitOf(() => benchArgs(CONFIG, streams))).toBe(2);
            const text = streams.stderr.join('');
            expect(text).toMatch(/^soak\.js: /);
            expect(text).toContain('usage: node dist/bench/soak.js [--minutes 30]');
            expect(text).not.toMatch(/\n\s+at /);
            expect(streams.stdout).toEqual([]);
        }
    });

    it('says where positionals go, and leaves what follows -- alone', () => {
        const config = {
            allowPositionals: true,
            options: { rate: { type: 'string', default: '500' } },
        } as const;
        expect(usageLine('x/throughput.js', config)).toBe(
            'usage: node dist/bench/throughput.js [--rate 500] [ARGS...]',
        );
        const { positionals } = benchArgs(config, io(['--', '--help']));
        expect(positionals).toEqual(['--help']);
    });

    it('is what every bench script reads its command line with', () => {
        const dir = fileURLToPath(new URL('../../../bench/', import.meta.url));
        const scripts = readdirSync(dir).filter((f) => f.endsWith('.ts'));
        const raw = scripts.filter((f) => /\bparseArgs\s*\(/.test(readFileSync(join(dir, f), 'utf8')));
        expect(raw).toEqual([]);
        const parsing = scripts.filter((f) => readFileSync(join(dir, f), 'utf8').includes('benchArgs('));
        expect(parsing.length).toBeGreaterThanOrEqual(17);
    });
});
