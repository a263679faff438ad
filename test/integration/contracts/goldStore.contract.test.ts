import { CosmosGoldStore } from '../../../shared/adapters/CosmosGoldStore.js';
import { InMemoryGoldStore } from '../../../shared/adapters/memory/InMemoryGoldStore.js';
import { InMemoryLake } from '../../../shared/adapters/memory/InMemoryLake.js';
import { createTestDatabase, createTestLake } from '../../helpers/localServices.js';
import { describeGoldStoreContract } from './goldStoreContract.js';

describeGoldStoreContract('InMemoryGoldStore over InMemoryLake', () =>
    Promise.resolve({
        store: new InMemoryGoldStore(),
        lake: new InMemoryLake(),
        dispose: () => Promise.resolve(),
    }),
);

describeGoldStoreContract(
    'CosmosGoldStore (local Cosmos-protocol server) over BlobLake (Azurite)',
    async () => {
        const [db, lake] = await Promise.all([
            createTestDatabase('goldcontract'),
            createTestLake('goldcontract'),
        ]);
        return {
            store: new CosmosGoldStore(db.client.database(db.databaseId).container('gold')),
            lake: lake.lake,
            dispose: () => Promise.all([db.dispose(), lake.dispose()]).then(() => undefined),
        };
    },
);
