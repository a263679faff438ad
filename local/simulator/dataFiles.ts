import { existsSync } from 'node:fs';
import { fileURLToPath } from 'node:url';

/** `local/data/<name>`, from the sources (`local/simulator/`) or from the build output (`dist/local/simulator/`). */
export function findDataFile(name: string): string {
    const candidates = [`../data/${name}`, `../../../local/data/${name}`].map((rel) =>
        fileURLToPath(new URL(rel, import.meta.url)),
    );
    return candidates.find((p) => existsSync(p)) ?? candidates[0]!;
}
