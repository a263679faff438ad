/**
 * The speed peers: gpsd's `gpsdecode -j` (Debian package gpsd-clients) and libais (Debian package
 * python3-ais, importable only by Debian's /usr/bin/python3, not by a pyenv python). Detection, optional
 * installation with apt-get, and timed runs over the benchmark file.
 */
import { spawn, spawnSync } from 'node:child_process';
import { closeSync, existsSync, openSync, readFileSync } from 'node:fs';

export interface PeerRun {
    seconds: number;
    messages: number;
}

export function findGpsdecode(): { version: string } | undefined {
    const r = spawnSync('gpsdecode', ['-V'], { encoding: 'utf8' });
    if (r.error !== undefined || r.status !== 0) return undefined;
    return { version: (r.stdout || r.stderr).trim().split('\n')[0] ?? '' };
}

/** The first python that can import libais (`ais.nmea_queue`). */
export function findLibaisPython(): { python: string; version: string } | undefined {
    for (const python of ['/usr/bin/python3', 'python3']) {
        const r = spawnSync(
            python,
            [
                '-c',
                'import ais, ais.nmea_queue, sys; print(sys.version.split()[0], getattr(ais, "__version__", "?"))',
            ],
            {
                encoding: 'utf8',
            },
        );
        if (r.error === undefined && r.status === 0) return { python, version: r.stdout.trim() };
    }
    return undefined;
}

/** apt-get install of the peers; returns a short account of what happened. */
export function installPeers(): string {
    const pkgs = ['gpsd-clients', 'python3-ais'];
    const env = { ...process.env, DEBIAN_FRONTEND: 'noninteractive' };
    let r = spawnSync('apt-get', ['install', '-y', ...pkgs], { encoding: 'utf8', env });
    if (r.status !== 0) {
        spawnSync('apt-get', ['update'], { encoding: 'utf8', env });
        r = spawnSync('apt-get', ['install', '-y', ...pkgs], { encoding: 'utf8', env });
    }
    if (r.error !== undefined) return `apt-get not runnable: ${r.error.message}`;
    if (r.status !== 0)
        return `apt-get install ${pkgs.join(' ')} failed (exit ${r.status}): ${r.stderr.trim().split('\n').slice(-2).join(' | ')}`;
    return `installed ${pkgs.join(' ')}`;
}

/** One `gpsdecode -j < file` run: wall time including process start, output lines counted from a pipe. */
export async function runGpsdecode(path: string): Promise<PeerRun> {
    const fd = openSync(path, 'r');
    const t0 = process.hrtime.bigint();
    const child = spawn('gpsdecode', ['-j'], { stdio: [fd, 'pipe', 'ignore'] });
    let messages = 0;
    child.stdout!.on('data', (b: Buffer) => {
        let i = -1;
        while ((i = b.indexOf(10, i + 1)) >= 0) messages++;
    });
    const code = await new Promise<number | null>((resolve, reject) => {
        child.on('error', reject);
        child.on('close', resolve);
    });
    const seconds = Number(process.hrtime.bigint() - t0) / 1e9;
    if (code !== 0) throw new Error(`gpsdecode exited with ${code}`);
    return { seconds, messages };
}

/**
 * libais in-process timings (best of `runs`), measured inside python so interpreter start and file reading
 * are excluded, as for ours: `queue` = ais.nmea_queue.NmeaQueue over every line (framing, reassembly, tag
 * blocks, decode to dicts); `core` = ais.decode(payload, fill) over payloads framed beforehand.
 */
const LIBAIS_SCRIPT = String.raw`
import json, logging, sys, time
logging.disable(logging.CRITICAL)
import ais, ais.nmea_queue
path, runs = sys.argv[1], int(sys.argv[2])
with open(path) as f:
    lines = f.readlines()

best_q, n_q = None, 0
for _ in range(runs):
    q = ais.nmea_queue.NmeaQueue()
    n = 0
    t = time.perf_counter()
    for line in lines:
        q.put(line)
        while q.qsize():
            m = q.get()
            if 'decoded' in m:
                n += 1
    dt = time.perf_counter() - t
    if best_q is None or dt < best_q:
        best_q, n_q = dt, n

payloads, parts = [], {}
for line in lines:
    i = line.find('!')
    if i < 0:
        continue
    f = line[i:].split(',')
    if len(f) < 7 or not f[1].isdigit() or not f[2].isdigit():
        continue
    total, num, key = int(f[1]), int(f[2]), f[3] + f[4]
    fill = int(f[6][:1]) if f[6][:1].isdigit() else 0
    if total == 1:
        payloads.append((f[5], fill))
    elif num == 1:
        parts[key] = [f[5]]
    elif key in parts:
        parts[key].append(f[5])
        if num == total:
            payloads.append((''.join(parts.pop(key)), fill))

best_c, n_c = None, 0
decode = ais.decode
for _ in range(runs):
    n = 0
    t = time.perf_counter()
    for p, fill in payloads:
        try:
            decode(p, fill)
            n += 1
        except Exception:
            pass
    dt = time.perf_counter() - t
    if best_c is None or dt < best_c:
        best_c, n_c = dt, n
print(json.dumps({"queue": {"seconds": best_q, "messages": n_q}, "core": {"seconds": best_c, "messages": n_c, "payloads": len(payloads)}}))
`;

export function runLibais(
    python: string,
    path: string,
    runs: number,
): { queue: PeerRun; core: PeerRun & { payloads: number } } {
    const r = spawnSync(python, ['-c', LIBAIS_SCRIPT, path, String(runs)], {
        encoding: 'utf8',
        maxBuffer: 16 * 1024 * 1024,
    });
    if (r.status !== 0)
        throw new Error(
            `libais script failed (exit ${r.status}): ${r.stderr.trim().split('\n').slice(-3).join(' | ')}`,
        );
    return JSON.parse(r.stdout.trim().split('\n').pop()!) as {
        queue: PeerRun;
        core: PeerRun & { payloads: number };
    };
}

/**
 * Wall time of one command as a user runs it, `cmd args < stdin > out`: start-up, reading the file, decoding
 * and writing the output file all included. Returns the seconds and the output's line count.
 */
export async function timeCommand(
    cmd: string,
    args: string[],
    options: { stdinPath?: string; outPath: string },
): Promise<{ seconds: number; cpuSeconds?: number; lines: number; code: number | null }> {
    const input = options.stdinPath !== undefined ? openSync(options.stdinPath, 'r') : 'ignore';
    const out = openSync(options.outPath, 'w');
    // CPU time (user + system, all threads) through GNU time when it is installed: on a shared machine it says
    // more than the wall time, which depends on what else runs.
    const timeOut = GNU_TIME === undefined ? undefined : options.outPath + '.time';
    const file: string = timeOut === undefined || GNU_TIME === undefined ? cmd : GNU_TIME;
    const argv: string[] = file === cmd ? args : ['-f', '%U %S', '-o', timeOut!, cmd, ...args];
    const t0 = process.hrtime.bigint();
    const child = spawn(file, argv, { stdio: [input, out, 'ignore'] });
    const code = await new Promise<number | null>((resolve, reject) => {
        child.on('error', reject);
        child.on('close', resolve);
    });
    const seconds = Number(process.hrtime.bigint() - t0) / 1e9;
    closeSync(out);
    if (typeof input === 'number') closeSync(input);
    let lines = 0;
    const buf = readFileSync(options.outPath);
    for (let i = buf.indexOf(10); i >= 0; i = buf.indexOf(10, i + 1)) lines++;
    let cpuSeconds: number | undefined;
    if (timeOut !== undefined) {
        const [user, sys] = readFileSync(timeOut, 'utf8').trim().split(/\s+/).slice(-2).map(Number);
        if (Number.isFinite(user) && Number.isFinite(sys)) cpuSeconds = (user as number) + (sys as number);
    }
    return cpuSeconds === undefined ? { seconds, lines, code } : { seconds, cpuSeconds, lines, code };
}

/** GNU time (Debian package `time`), when installed. */
const GNU_TIME = existsSync('/usr/bin/time') ? '/usr/bin/time' : undefined;
