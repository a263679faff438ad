/**
 * Compact storage of idle documents' point lists on the local Cosmos-protocol server's thread
 * (local/cosmosServer.ts). The server holds every document as the object parsed from its request body: a track
 * point `{t, lat, lon, sog, cog, heading, e}` is a 7-field object whose numbers are boxed (about 200 bytes of heap
 * a point), and a 30-minute soak at 500 AIS events/s stores about half a million of them.
 *
 * Every `everyMs` the thread looks for documents not written for `idleSeconds` (server `_ts`) whose top-level
 * `points` is an array of flat objects of numbers and booleans (track buckets, shared/adapters/CosmosVesselStore.ts:
 * the current bucket is rewritten by every batch, a closed one is left alone) and keeps that array as one array of
 * doubles (8 bytes a value), each point's values after the number of its key list (key lists shared by all
 * documents). The stored document object keeps its
 * other fields and key order; its `points` becomes an enumerable getter that builds the same objects (same keys,
 * order and values) each time it is read, so queries that filter on other fields never expand it, and a response,
 * a snapshot (`{...doc}`) or a query projection sees exactly the document that was written. A write replaces the
 * document with a plain object as before. Nothing outside the thread changes: Azure's Cosmos DB stores the same
 * documents as ever.
 *
 * The packed values go to a temporary file of doubles (`openCold`; the server's `coldPoints` option, default on),
 * appended to and read back at each read of the points: a closed bucket is written once and read now and then (a
 * track query, a snapshot), and its pages stay in the kernel's page cache, outside the process's resident memory.
 * In memory, a point packed as an array of doubles costs ~67 bytes (`npm run bench:cosmos-memory`), and the closed
 * buckets' points grow with every minute a stack runs (the Cosmos thread's heap went 36 -> 90 MB over a 30-minute
 * soak; with the file it held 46-76 MB, and 14 MB of points were on disk at the end). The file is unlinked as soon as
 * it is opened where the system allows it (POSIX), so it never outlives the process, also after a kill -9.
 * A rewritten document's old values stay in the file until the stack stops (closed buckets are rarely rewritten).
 */
export const COMPACT_SOURCE = String.raw`
// Key lists of packed points (with which of them are booleans), shared by every document; a bounded number.
const SHAPES = [];
const SHAPE_BY_SIGNATURE = new Map();
const MAX_SHAPES = 4096;
const PACKED = Symbol('packed points');
// The packed form of points ([shape, values..., shape, values..., ...], booleans as 1 and 0), or undefined when they
// are not all flat objects of numbers and booleans.
function packPoints(points) {
    if (!Array.isArray(points) || points.length === 0) return undefined;
    let count = 0;
    const shapes = new Array(points.length);
    for (let i = 0; i < points.length; i++) {
        const p = points[i];
        if (p === null || typeof p !== 'object' || Array.isArray(p) || Object.getPrototypeOf(p) !== Object.prototype) return undefined;
        const keys = Object.keys(p);
        let signature = '';
        for (const k of keys) {
            const v = p[k];
            if (k === '__proto__') return undefined;
            if (typeof v === 'number') signature += k + '\u0000n\u0000';
            else if (typeof v === 'boolean') signature += k + '\u0000b\u0000';
            else return undefined;
        }
        let shape = SHAPE_BY_SIGNATURE.get(signature);
        if (shape === undefined) {
            if (SHAPES.length >= MAX_SHAPES) return undefined;
            shape = SHAPES.length;
            SHAPE_BY_SIGNATURE.set(signature, shape);
            SHAPES.push({ keys, booleans: keys.map((k) => typeof p[k] === 'boolean') });
        }
        shapes[i] = shape;
        count += 1 + keys.length;
    }
    const values = new Array(count);
    let v = 0;
    for (let i = 0; i < points.length; i++) {
        const p = points[i];
        values[v++] = shapes[i];
        for (const k of SHAPES[shapes[i]].keys) values[v++] = typeof p[k] === 'boolean' ? (p[k] ? 1 : 0) : p[k];
    }
    return values;
}
function unpackPoints(values) {
    const out = [];
    for (let v = 0; v < values.length; ) {
        const { keys, booleans } = SHAPES[values[v++]];
        const p = {};
        for (let j = 0; j < keys.length; j++) {
            const x = values[v++];
            p[keys[j]] = booleans[j] ? x === 1 : x;
        }
        out.push(p);
    }
    return out;
}
// Cold storage of packed points: one file of doubles, appended to, read back at each read of a compacted document's
// points (the pages stay in the kernel's page cache, outside the process's resident memory). COLD undefined: packed
// points stay in memory as arrays.
let COLD;
function openCold(file) {
    const fs = require('node:fs');
    const fd = fs.openSync(file, 'w+');
    // Unlinked at once where the system allows it (POSIX): the space is freed when the thread's process ends, also
    // after a kill -9. Elsewhere the server's stop removes it.
    try {
        fs.unlinkSync(file);
    } catch {}
    COLD = { fs, fd, end: 0, bytes: 0 };
}
// Where the values went: [offset, count] in the cold file, or the array itself.
function storePacked(values) {
    if (COLD === undefined) return values;
    const doubles = Float64Array.from(values);
    const offset = COLD.end;
    let written = 0;
    while (written < doubles.byteLength)
        written += COLD.fs.writeSync(COLD.fd, new Uint8Array(doubles.buffer, written), 0, doubles.byteLength - written, offset + written);
    COLD.end += doubles.byteLength;
    COLD.bytes += doubles.byteLength;
    return { offset, count: doubles.length };
}
function loadPacked(stored) {
    if (Array.isArray(stored)) return stored;
    const doubles = new Float64Array(stored.count);
    const bytes = new Uint8Array(doubles.buffer);
    let read = 0;
    while (read < bytes.length) {
        const n = COLD.fs.readSync(COLD.fd, bytes, read, bytes.length - read, stored.offset + read);
        if (n === 0) throw new Error('cold point storage: short read at ' + (stored.offset + read));
        read += n;
    }
    return doubles;
}
// The getter of every compacted document's points: the same objects, built anew at each read.
function packedPoints() {
    return unpackPoints(loadPacked(this[PACKED]));
}
// The document with its points packed behind a getter (same keys in the same order), or undefined.
function compactDocument(doc) {
    if (doc === null || typeof doc !== 'object' || !Object.prototype.hasOwnProperty.call(doc, 'points')) return undefined;
    const descriptor = Object.getOwnPropertyDescriptor(doc, 'points');
    if (!('value' in descriptor)) return undefined; // already compact
    const packed = packPoints(descriptor.value);
    if (packed === undefined) return undefined;
    const out = {};
    for (const k of Object.keys(doc)) {
        if (k === 'points') Object.defineProperty(out, 'points', { enumerable: true, configurable: true, get: packedPoints });
        else out[k] = doc[k];
    }
    Object.defineProperty(out, PACKED, { value: storePacked(packed) });
    return out;
}
// The package builds each document's _etag (crypto.randomUUID), _rid and _self by string concatenation: V8 keeps
// such a string as a tree of its parts (about 20 nodes of 32 bytes for a UUID, ~1 KB a document for the three).
// Reading a character flattens a string in place (the garbage collector then drops the parts), so every stored
// document's top-level strings are flattened as it is stored.
function installFlatStrings(packageDir) {
    const Documents = require(join(packageDir, 'lib/account/documents')).default;
    const set = Documents.prototype._set;
    Documents.prototype._set = function _set(data) {
        for (const k in data) if (typeof data[k] === 'string' && data[k].length > 0) data[k].charCodeAt(0);
        return set.call(this, data);
    };
}
// Compacts the idle documents of every container of every database; returns how many it compacted.
function compactIdle(idleSeconds) {
    if (!account) return 0;
    const before = Math.floor(Date.now() / 1000) - idleSeconds;
    let n = 0;
    for (const database of account.databases._data.values()) {
        const db = database.read();
        if (!db) continue;
        const collections = account.database(db.id).collections;
        for (const c of collections._data.values()) {
            const id = c.read() && c.read().id;
            if (typeof id !== 'string') continue;
            for (const item of account.database(db.id).collection(id).documents._data.values()) {
                const doc = item._data;
                if (!doc || !(doc._ts <= before)) continue;
                const compact = compactDocument(doc);
                if (compact === undefined) continue;
                item._data = compact;
                n++;
            }
        }
    }
    return n;
}
`;

/** How often the server's thread compacts idle documents, ms. */
export const COMPACT_EVERY_MS = 60_000;
/** A document not written for this long is compacted, seconds (server `_ts`, whole seconds). */
export const COMPACT_IDLE_SECONDS = 120;
