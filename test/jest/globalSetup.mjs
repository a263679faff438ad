/**
 * Jest global setup of the `integration` project: starts Azurite and the Cosmos-protocol server once per run
 * (see `test/globalSetup.ts`) and passes the connection info to the test workers through the environment
 * variable `MARITIME_TEST_SERVICES` (JSON; workers inherit the parent's environment). Tests read it with the
 * helpers in `test/helpers/localServices.ts`. Jest loads this file outside its transform, so the TypeScript
 * setup is imported through a small SWC loader hook.
 */
import { register } from 'node:module';

register('./tsLoader.mjs', import.meta.url);

export default async function globalSetup() {
    const { startTestServices } = await import('../globalSetup.ts');
    globalThis.__maritimeTestServices = await startTestServices();
}
