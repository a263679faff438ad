/** Small non-cryptographic hashes for ids and tokens. */

/** 32-bit FNV-1a as 8 hex digits. */
export function fnv1a(text: string): string {
    let h = 0x811c9dc5;
    for (let i = 0; i < text.length; i++) {
        h ^= text.charCodeAt(i);
        h = Math.imul(h, 0x01000193) >>> 0;
    }
    return h.toString(16).padStart(8, '0');
}

/**
 * A 52-bit non-cryptographic hash as a JavaScript number (exact in a double, so it survives JSON): two 32-bit
 * FNV-1a variants, the second with another offset basis, 20 bits of one above the 32 of the other. For keys
 * stored in documents where a 32-bit hash's collision odds (one in 4 billion per comparison) are too high.
 */
export function hash52(text: string): number {
    let a = 0x811c9dc5;
    let b = 0x050c5d1f;
    for (let i = 0; i < text.length; i++) {
        const c = text.charCodeAt(i);
        a = Math.imul(a ^ c, 0x01000193);
        b = Math.imul(b ^ c, 0x01000193);
    }
    return (b >>> 12) * 0x1_0000_0000 + (a >>> 0);
}
