/**
 * A preload that prints, at exit, the CPU time of the process's main thread and of all its threads (seconds, from
 * /proc/self/task/TID/schedstat; Linux only) to stderr, or appended to the file MAIN_THREAD_CPU_OUT:
 *
 *   node --import ./dist/bench/lib/mainThreadCpu.js bin/maritime.js decode --threads 1 FILE > out.jsonl
 *
 * The main thread's time is close to a command's wall time when another CPU is idle, and unlike the wall time it
 * can be compared A/B on a busy shared machine (README, decode: "Output to a file").
 */
import { appendFileSync, readdirSync, readFileSync } from 'node:fs';

const onCpu = (tid: string | number): number =>
    Number(readFileSync(`/proc/self/task/${tid}/schedstat`, 'utf8').split(' ')[0]) / 1e9;

process.on('exit', () => {
    try {
        const main = onCpu(process.pid);
        let all = 0;
        for (const tid of readdirSync('/proc/self/task')) all += onCpu(tid);
        const line = `main thread ${main.toFixed(3)} s, all threads ${all.toFixed(3)} s\n`;
        const to = process.env.MAIN_THREAD_CPU_OUT;
        if (to === undefined) process.stderr.write(line);
        else appendFileSync(to, line);
    } catch {
        // not Linux: nothing to say
    }
});
