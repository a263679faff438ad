/** Jest global teardown of the `integration` project: stops what `globalSetup.mjs` started. */
export default async function globalTeardown() {
    const started = globalThis.__maritimeTestServices;
    delete globalThis.__maritimeTestServices;
    if (started) await started.stop();
}
