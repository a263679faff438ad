/**
 * Query fast path for the local Cosmos-protocol server (`@vercel/cosmosdb-server` 1.0.1 with
 * `@zeit/cosmosdb-query` 0.7.2), installed on the server's thread by local/cosmosServer.ts before the package's
 * request router loads. The protocol, the handlers' answers and the query language are unchanged; only the cost
 * of serving our access patterns is. Measured against the unpatched server: `npm run bench:cosmos`.
 *
 * What it replaces, and why (each was found by profiling `npm run bench:api` and the 10M gold bench):
 *
 * 1. The compiled query walked the container with `docs.reduce(($, c) => [...$, { c }], [])`: a copy of the
 *    accumulator per document, O(n^2) in the container's size (25,000 documents: 312 million element copies per
 *    query; 100,000 gold rows: the 30 s timeouts of the gold bench). The generated JavaScript's AST is rewritten
 *    so the accumulator is pushed to (it is always a fresh `[]` literal), which makes the walk O(n).
 * 2. Every execution compiled the generated code again with `new Function` (never optimised by V8, since each
 *    run got a new function). The function is compiled once per query text (the package caches the parsed
 *    query per container already) and reused.
 * 3. A query that names a partition key (header `x-ms-documentdb-partitionkey`, set by the SDK when
 *    `FeedOptions.partitionKey` is given) scanned every document of the container and ignored the key. The
 *    container's documents are now also indexed by partition key value, so such a query reads only that
 *    partition, as Cosmos DB does (documents of other partitions are no longer returned, which is what Cosmos DB
 *    answers too). A key that is not a single JSON scalar (hierarchical keys, `[{}]` for "none") falls back to
 *    the full scan.
 * 4. The SDK (4.x) asks for a query plan (`x-ms-cosmos-is-query-plan-request`) beside every query, in parallel,
 *    and uses it only when the query itself fails with a 400 that asks for one; the server answered the plan
 *    request by running the query with no page size (every matching document, serialised). The server computes
 *    no query plans, so it now answers 400 at once, as it effectively did before (its answer was never a plan).
 * 5. `stripUndefined` (applied to every returned page) rebuilt arrays with a spread per element, O(n^2) in an
 *    array's length (a track bucket holds hundreds of points), and copied every returned document whole: replaced
 *    by a linear pass with the same result that copies only what has an `undefined` to drop (stored documents
 *    never do: they came as JSON), so a page of track buckets is serialised from the stored objects.
 * 6. A transactional batch sent with `Prefer: return=minimal` (the SDK's `contentResponseOnWriteEnabled: false`)
 *    is answered without each operation's `resourceBody`, as Cosmos DB answers it (status, charge and etag
 *    stay); the package ignored the header and sent every written document back.
 *
 * The source runs as plain JavaScript on the server's thread (evaluated there, so it runs the same from dist/
 * and from the TypeScript sources under Jest). `test/integration/local/cosmosServer.test.ts` checks the
 * behaviour through the real SDK, and fails if an upgrade of either package changes the internals used here.
 */
export const FAST_PATH_SOURCE = String.raw`
function installFastPath(packageDir) {
    const { createRequire } = require('node:module');
    const { join } = require('node:path');
    const fromServer = createRequire(join(packageDir, 'package.json'));
    const queryDir = require('node:path').dirname(fromServer.resolve('@zeit/cosmosdb-query/package.json'));
    const fromQuery = createRequire(join(queryDir, 'package.json'));
    const createQuery = fromServer('@zeit/cosmosdb-query').default;
    const transform = fromQuery('./lib/transformer').default;
    const generate = fromQuery('@babel/generator').default;
    const aggregateFunctions = fromQuery('./lib/aggregate-functions');
    const builtinFunctions = fromQuery('./lib/builtin-functions');
    const helpers = fromQuery('./lib/helpers');
    const Documents = fromServer('./lib/account/documents').default;
    const json = fromServer('./lib/json').default;
    const trueHeader = fromServer('./lib/true-header').default;
    const queryDocuments = fromServer('./lib/handler/query-documents');
    const batchDocuments = fromServer('./lib/handler/batch-documents');
    const Query = Object.getPrototypeOf(createQuery('SELECT * FROM c'));
    if (typeof transform !== 'function' || typeof generate !== 'function' || typeof helpers.paginate !== 'function'
        || typeof Documents !== 'function' || typeof Documents.prototype._set !== 'function'
        || typeof Documents.prototype.delete !== 'function' || typeof queryDocuments.default !== 'function'
        || typeof batchDocuments.default !== 'function'
        || !Object.getOwnPropertyDescriptor(Query, 'code')) {
        throw new Error('the Cosmos-protocol server package changed: its query fast path cannot be installed');
    }

    // 1. ($, d) => test ? [...$, x] : $   becomes   ($, d) => { if (test) $.push(x); return $; }
    //    ($, d) => [...$, ...xs]           becomes   ($, d) => { for (const $$x of xs) $.push($$x); return $; }
    const id = (name) => ({ type: 'Identifier', name });
    const isAcc = (n) => n && n.type === 'Identifier' && n.name === '$';
    const isAccSpread = (n) => n && n.type === 'SpreadElement' && isAcc(n.argument);
    const push = (arg) => ({
        type: 'ExpressionStatement',
        expression: { type: 'CallExpression', callee: { type: 'MemberExpression', object: id('$'), property: id('push'), computed: false }, arguments: [arg] },
    });
    const returnAcc = { type: 'ReturnStatement', argument: id('$') };
    function rewriteReducer(fn) {
        const body = fn.body;
        if (body.type === 'ConditionalExpression' && isAcc(body.alternate) && body.consequent.type === 'ArrayExpression'
            && body.consequent.elements.length === 2 && isAccSpread(body.consequent.elements[0])
            && body.consequent.elements[1].type !== 'SpreadElement') {
            return { type: 'BlockStatement', body: [{ type: 'IfStatement', test: body.test, consequent: push(body.consequent.elements[1]), alternate: null }, returnAcc] };
        }
        if (body.type === 'ArrayExpression' && body.elements.length === 2 && isAccSpread(body.elements[0])
            && body.elements[1].type === 'SpreadElement') {
            const loop = {
                type: 'ForOfStatement',
                await: false,
                left: { type: 'VariableDeclaration', kind: 'const', declarations: [{ type: 'VariableDeclarator', id: id('$$x'), init: null }] },
                right: body.elements[1].argument,
                body: push(id('$$x')),
            };
            return { type: 'BlockStatement', body: [loop, returnAcc] };
        }
        return undefined;
    }
    function rewrite(node) {
        if (Array.isArray(node)) {
            node.forEach(rewrite);
            return;
        }
        if (!node || typeof node !== 'object') return;
        for (const key of Object.keys(node)) rewrite(node[key]);
        if (node.type === 'CallExpression' && node.callee.type === 'MemberExpression' && !node.callee.computed
            && node.callee.property.name === 'reduce' && node.arguments.length === 2
            && node.arguments[1].type === 'ArrayExpression' && node.arguments[1].elements.length === 0) {
            const fn = node.arguments[0];
            if (fn.type === 'ArrowFunctionExpression' && isAcc(fn.params[0])) {
                const block = rewriteReducer(fn);
                if (block) fn.body = block;
            }
        }
    }
    Object.defineProperty(Query, 'code', {
        configurable: true,
        get() {
            if (!this._code) {
                const jsAst = transform(this.ast);
                rewrite(jsAst);
                this._code = generate(jsAst).code;
            }
            return this._code;
        },
    });
    // 2. One compiled function per parsed query (the package keeps parsed queries in an LRU per container).
    Query.exec = function exec(collection, { parameters, udf, maxItemCount, continuation, compositeIndexes } = {}) {
        if (!this._execute) this._execute = new Function('"use strict";return (' + this.code + ')')();
        const params = {};
        for (const { name, value } of parameters || []) params[name.slice(1)] = value;
        return this._execute(aggregateFunctions, builtinFunctions, collection, helpers, udf === undefined ? {} : udf, params, maxItemCount, continuation, compositeIndexes);
    };

    // 3. Documents by partition key value: Map<value, Map<_rid, item>>, kept in step with the package's own map.
    const partitionsOf = (items) => (items._partitions ??= new Map());
    const set = Documents.prototype._set;
    Documents.prototype._set = function _set(data) {
        const result = set.call(this, data);
        const key = this._getPartition(data);
        const partitions = partitionsOf(this);
        let partition = partitions.get(key);
        if (!partition) partitions.set(key, (partition = new Map()));
        partition.set(data._rid, this._data.get(data._rid));
        return result;
    };
    const del = Documents.prototype.delete;
    Documents.prototype.delete = function (idOrRid, partitionValue) {
        const data = this._item('/id', idOrRid, partitionValue).read();
        del.call(this, idOrRid, partitionValue);
        const partitions = partitionsOf(this);
        const key = this._getPartition(data);
        const partition = partitions.get(key);
        if (partition) {
            partition.delete(data._rid);
            if (partition.size === 0) partitions.delete(key);
        }
    };
    Documents.prototype.query = function query(params, { maxItemCount, continuation, partitionKey } = {}) {
        if (!this._parent.read()) return null;
        const source = partitionKey === undefined ? this._data : (partitionsOf(this).get(partitionKey.value) ?? new Map());
        const data = [];
        for (const item of source.values()) data.push(item.read());
        const parent = this._parent.read();
        const compositeIndexes = (parent.indexingPolicy ? parent.indexingPolicy.compositeIndexes : null) || [];
        const q = this._getQuery(params.query);
        try {
            return q.exec(data, { parameters: params.parameters, udf: this._userDefinedFunctions(), maxItemCount, continuation, compositeIndexes });
        } catch (err) {
            err.badRequest = true;
            throw err;
        }
    };
    /** The partition key value a query request names: a one-element JSON array of a scalar; otherwise none. */
    function queryPartitionKey(req) {
        let header = req.headers['x-ms-documentdb-partitionkey'];
        if (Array.isArray(header)) header = header[0];
        if (typeof header !== 'string') return undefined;
        let parsed;
        try {
            parsed = JSON.parse(header);
        } catch {
            return undefined;
        }
        if (!Array.isArray(parsed) || parsed.length !== 1) return undefined;
        const value = parsed[0];
        return value === null || ['string', 'number', 'boolean'].includes(typeof value) ? { value } : undefined;
    }

    // 3 and 4: the query handler (the package's, with the partition key passed on and plan requests refused).
    const readItems = fromServer('./lib/handler/_read-items').default;
    queryDocuments.default = async (account, req, res, { dbId, collId }) => {
        if (trueHeader(req, 'x-ms-cosmos-is-query-plan-request')) {
            await json(req);
            res.statusCode = 400;
            return { code: 'BadRequest', message: 'this local Cosmos-protocol server computes no query plans' };
        }
        return readItems(req, res, 'Documents', async ({ continuation, maxItemCount }) => {
            const body = await json(req);
            if (!body.query) {
                res.statusCode = 400;
                return { message: 'missing query' };
            }
            const collection = account.database(dbId).collection(collId);
            if (!trueHeader(req, 'x-ms-documentdb-query-enablecrosspartition')) {
                const { partitionKey } = collection.read() || {};
                const paths = (partitionKey || {}).paths || [];
                if (paths.length && !createQuery(body.query).containsPartitionKeys(paths)) {
                    res.statusCode = 400;
                    return { message: 'missing partition keys' };
                }
            }
            try {
                return collection.documents.query(body, { continuation, maxItemCount, partitionKey: queryPartitionKey(req) });
            } catch (err) {
                if (err.badRequest) {
                    res.statusCode = 400;
                    return { message: err.message };
                }
                throw err;
            }
        });
    };

    // 6. Batches: the package's handler, without the documents when the client asks for a minimal answer.
    const batch = batchDocuments.default;
    batchDocuments.default = async (account, req, res, params) => {
        const body = await batch(account, req, res, params);
        if (!Array.isArray(body) || String(req.headers.prefer || '').toLowerCase() !== 'return=minimal') return body;
        return body.map(({ resourceBody, ...result }) => result);
    };

    // 5. The same result as the package's stripUndefined (undefined dropped from arrays and objects), linear.
    helpers.stripUndefined = stripUndefined;
}

/**
 * undefined dropped from arrays and objects (what JSON.stringify does to object members, but not to array
 * elements), as the package's stripUndefined; a value with nothing to drop is returned as it is, not copied (the
 * package copied every document of every page, the stored track buckets included, before serialising them; the
 * answer is serialised at once and a write replaces a stored document instead of changing it, so sharing is safe).
 */
function stripUndefined(value) {
    if (Array.isArray(value)) {
        let out;
        for (let i = 0; i < value.length; i++) {
            const v = value[i];
            const s = v === undefined ? v : stripUndefined(v);
            if (out === undefined && (v === undefined || s !== v)) out = value.slice(0, i);
            if (out !== undefined && v !== undefined) out.push(s);
        }
        return out ?? value;
    }
    if (value && typeof value === 'object') {
        let out;
        for (const k in value) {
            if (!Object.prototype.hasOwnProperty.call(value, k)) continue;
            const v = value[k];
            const s = v === undefined ? v : stripUndefined(v);
            if (out === undefined && (v === undefined || s !== v)) {
                out = {};
                for (const j in value) {
                    if (j === k) break;
                    if (Object.prototype.hasOwnProperty.call(value, j)) out[j] = value[j];
                }
            }
            if (out !== undefined && v !== undefined) out[k] = s;
        }
        return out ?? value;
    }
    return value;
}
`;
