/**
 * trimNativeHeap: glibc's malloc_trim(0) through koffi gives back freed memory in the middle of the main arena,
 * which free() alone keeps (only the top of the heap is returned by itself).
 */
import { describe, expect, it } from '@jest/globals';

import { mainArenaMb } from '../../../bench/lib/child.js';
import { runningGlibc } from '../../../cli/mallocReexec.js';
import { collectGarbage } from '../../../local/heapTrim.js';
import { trimNativeHeap } from '../../../local/mallocTrim.js';

const linuxGlibc = process.platform === 'linux' && runningGlibc() !== undefined;

describe('trimNativeHeap', () => {
    (linuxGlibc ? it : it.skip)(
        'gives back what was freed below a live allocation at the top of the arena',
        () => {
            trimNativeHeap();
            // 64 MB in 32 KB blocks (under glibc's mmap threshold: from the arena), then one kept at the top
            let blocks: Buffer[] = Array.from({ length: 2048 }, () =>
                Buffer.allocUnsafeSlow(32 * 1024).fill(1),
            );
            const top = Buffer.allocUnsafeSlow(32 * 1024).fill(2);
            blocks = [];
            collectGarbage();
            const freed = mainArenaMb(process.pid);
            expect(trimNativeHeap()).toBe(true);
            const trimmed = mainArenaMb(process.pid);
            expect(top[0]).toBe(2);
            expect(blocks).toHaveLength(0);
            // most of the 64 MB freed in the middle is no longer resident
            expect(freed - trimmed).toBeGreaterThan(32);
        },
    );
});
