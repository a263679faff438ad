import { CosmosVesselStore } from '../../../shared/adapters/CosmosVesselStore.js';
import { InMemoryVesselStore } from '../../../shared/adapters/memory/InMemoryVesselStore.js';
import { createTestDatabase } from '../../helpers/localServices.js';
import { describeVesselStoreContract } from './vesselStoreContract.js';

describeVesselStoreContract('InMemoryVesselStore', () =>
    Promise.resolve({ store: new InMemoryVesselStore(), dispose: () => Promise.resolve() }),
);

describeVesselStoreContract('CosmosVesselStore (local Cosmos-protocol server)', async () => {
    const db = await createTestDatabase('contract');
    return { store: new CosmosVesselStore(db.vessels, { trackTtlDays: 30 }), dispose: () => db.dispose() };
});
