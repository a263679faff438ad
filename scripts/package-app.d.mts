// Types of scripts/package-app.mjs for the tests that import it.
export declare const PACKAGE_CONTENT: readonly string[];
export declare function sizeOf(path: string): number;
export declare function deploymentManifest(pkg: object): Record<string, unknown>;
export declare function buildPackage(options?: { out?: string; zip?: string }): {
    out: string;
    bytes: number;
};
