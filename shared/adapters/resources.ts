/**
 * The storage and database resources the app writes to: the lake containers (`LAKE_CONTAINERS`), the Cosmos DB
 * database and its containers (`COSMOS_CONTAINERS`). In Azure, Bicep creates them (identity-based data-plane
 * clients cannot create Cosmos databases or containers); against emulators, `npx maritime setup` does
 * (`ensureResources`). When a batch or a request fails and a resource is missing, `ResourceCheck.explain` turns the
 * raw SDK error (`ContainerNotFound`, a Cosmos 404 or "Batch request error") into a `MissingResourceError` that
 * names what is missing and how to create it.
 */
import type { CosmosClient } from '@azure/cosmos';
import type { ContainerClient } from '@azure/storage-blob';

import type { LakeContainer } from '../app/ports.js';
import { COSMOS_INDEXING } from '../config/cosmosIndexing.js';
import { COSMOS_CONTAINERS, LAKE_CONTAINERS } from '../config/settingNames.js';
import { MissingResourceError } from '../errors.js';
import { statusOf } from './fromSdkError.js';

export interface ResourceTargets {
    /** Lake container clients by logical name. */
    lake: Readonly<Record<LakeContainer, ContainerClient>>;
    cosmos: CosmosClient;
    database: string;
}

export type ResourceState = 'created' | 'exists' | 'missing';

export interface ResourceStatus {
    /** e.g. `lake container 'bronze'`, `Cosmos DB database 'maritime'`, `Cosmos DB container 'maritime/vessels'`. */
    resource: string;
    state: ResourceState;
}

const lakeName = (logical: LakeContainer, client: ContainerClient): string =>
    `lake container '${client.containerName}'${client.containerName === logical ? '' : ` (${logical})`}`;
const databaseName = (id: string): string => `Cosmos DB database '${id}'`;
const containerName = (database: string, id: string): string => `Cosmos DB container '${database}/${id}'`;

/** `created` for 201 (the SDK's createIfNotExists reads first, then creates on 404), else `exists`. */
const stateOf = (statusCode: number | undefined): ResourceState =>
    statusCode === 201 ? 'created' : 'exists';

/**
 * Creates every lake container, the database and every Cosmos container that is missing (idempotent: a second run
 * reports everything as `exists`). Containers get the partition key and default TTL of `COSMOS_CONTAINERS` and the
 * indexing policy of `COSMOS_INDEXING` (the same as Bicep's). An existing container keeps its policy.
 */
export async function ensureResources(targets: ResourceTargets): Promise<ResourceStatus[]> {
    const out: ResourceStatus[] = [];
    for (const name of LAKE_CONTAINERS) {
        const client = targets.lake[name];
        const response = await client.createIfNotExists();
        out.push({ resource: lakeName(name, client), state: response.succeeded ? 'created' : 'exists' });
    }
    out.push(...(await ensureCosmosContainers(targets.cosmos, targets.database)));
    return out;
}

/** Creates the database and every container of `COSMOS_CONTAINERS` that is missing. */
export async function ensureCosmosContainers(
    cosmos: CosmosClient,
    database: string,
): Promise<ResourceStatus[]> {
    const out: ResourceStatus[] = [];
    const db = await cosmos.databases.createIfNotExists({ id: database });
    out.push({ resource: databaseName(database), state: stateOf(db.statusCode) });
    for (const spec of COSMOS_CONTAINERS) {
        const c = await db.database.containers.createIfNotExists({
            id: spec.name,
            partitionKey: { paths: [spec.partitionKey] },
            defaultTtl: spec.defaultTtl,
            indexingPolicy: COSMOS_INDEXING[spec.name],
        });
        out.push({ resource: containerName(database, spec.name), state: stateOf(c.statusCode) });
    }
    return out;
}

async function exists(read: () => Promise<unknown>): Promise<boolean> {
    try {
        await read();
        return true;
    } catch (error) {
        if (statusOf(error) === 404) return false;
        throw error;
    }
}

/**
 * Which resources are missing (read-only: works with the identity-based clients of Azure too). Other failures
 * (network, auth) propagate: they say nothing about existence.
 */
export async function findMissingResources(targets: ResourceTargets): Promise<string[]> {
    const missing: string[] = [];
    for (const name of LAKE_CONTAINERS) {
        const client = targets.lake[name];
        if (!(await client.exists())) missing.push(lakeName(name, client));
    }
    const db = targets.cosmos.database(targets.database);
    if (!(await exists(() => db.read()))) {
        missing.push(databaseName(targets.database));
        return missing; // its containers cannot exist either
    }
    for (const spec of COSMOS_CONTAINERS) {
        if (!(await exists(() => db.container(spec.name).read())))
            missing.push(containerName(targets.database, spec.name));
    }
    return missing;
}

/**
 * Explains failures caused by missing resources. After a failure it checks once which resources are missing; when
 * some are, the failure becomes a `MissingResourceError` naming them. Once everything was found present the check
 * is not repeated in this worker (resources do not disappear in normal operation), so a failing dependency costs
 * at most one check. A check that itself fails leaves the original error unchanged.
 */
export class ResourceCheck {
    readonly #targets: () => ResourceTargets;
    readonly #timeoutMs: number;
    #verified = false;
    /** After a check that could not run (services down), no new check before this time (ms since epoch). */
    #quietUntil = 0;

    /**
     * `targets` is called on the first failure only (so building clients from settings is deferred too). A check
     * taking longer than `timeoutMs` (a dependency that is down, SDK retries) is abandoned: the error stays as it
     * was, and the next check waits a minute, so an outage does not slow every failing attempt down.
     */
    constructor(targets: () => ResourceTargets, options: { timeoutMs?: number } = {}) {
        this.#targets = targets;
        this.#timeoutMs = options.timeoutMs ?? 3_000;
    }

    async explain(error: unknown): Promise<unknown> {
        if (this.#verified || error instanceof MissingResourceError || Date.now() < this.#quietUntil)
            return error;
        let missing: string[];
        let timer: NodeJS.Timeout | undefined;
        try {
            const timeout = new Promise<never>((_, reject) => {
                timer = setTimeout(() => reject(new Error('resource check timed out')), this.#timeoutMs);
            });
            missing = await Promise.race([findMissingResources(this.#targets()), timeout]);
        } catch {
            this.#quietUntil = Date.now() + 60_000;
            return error;
        } finally {
            clearTimeout(timer);
        }
        if (missing.length === 0) {
            this.#verified = true;
            return error;
        }
        return new MissingResourceError(missing, { cause: error });
    }

    /** Runs `work`; a failure is rethrown explained. */
    async run<T>(work: () => Promise<T>): Promise<T> {
        try {
            return await work();
        } catch (error) {
            throw await this.explain(error);
        }
    }
}
