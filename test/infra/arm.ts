/**
 * Minimal reading of compiled ARM JSON: walk nested module deployments and resolve the simple expressions
 * Bicep emits for constants passed between files (`[variables('x')]`, `[parameters('x')]`, `[string(...)]`).
 */

export interface ArmParameter {
    type: string;
    defaultValue?: unknown;
}

export interface ArmResource {
    type: string;
    name: unknown;
    apiVersion?: string;
    existing?: boolean;
    kind?: string;
    sku?: { name?: string; tier?: string };
    identity?: { type?: string; userAssignedIdentities?: Record<string, unknown> };
    copy?: { name: string; count: unknown };
    properties?: Record<string, unknown>;
}

export interface ArmTemplate {
    languageVersion?: string;
    parameters?: Record<string, ArmParameter>;
    variables?: Record<string, unknown>;
    resources: ArmResource[] | Record<string, ArmResource>;
    outputs?: Record<string, { type: string; value: unknown }>;
}

/** A template in its place: the module deployment that holds it and the template that holds that. */
export interface Scope {
    template: ArmTemplate;
    /** Parameter values the parent passes to this template (undefined for main). */
    passed?: Record<string, { value?: unknown }>;
    parent?: Scope;
    /** Symbolic name of the module in its parent (undefined for main). */
    moduleName?: string;
}

export interface LocatedResource {
    resource: ArmResource;
    scope: Scope;
    symbol: string;
}

function resourceEntries(template: ArmTemplate): [string, ArmResource][] {
    return Array.isArray(template.resources)
        ? template.resources.map((r, i) => [String(i), r] as [string, ArmResource])
        : Object.entries(template.resources);
}

/** Every resource of the template and of its nested module deployments, depth first. */
export function allResources(template: ArmTemplate): LocatedResource[] {
    const found: LocatedResource[] = [];
    const visit = (scope: Scope): void => {
        for (const [symbol, resource] of resourceEntries(scope.template)) {
            found.push({ resource, scope, symbol });
            const nested = resource.properties?.template as ArmTemplate | undefined;
            if (resource.type === 'Microsoft.Resources/deployments' && nested !== undefined) {
                const passed = resource.properties?.parameters as
                    Record<string, { value?: unknown }> | undefined;
                visit({ template: nested, passed: passed ?? {}, parent: scope, moduleName: symbol });
            }
        }
    };
    visit({ template });
    return found;
}

/** Resources of one type that the template creates (not `existing` references). */
export function created(template: ArmTemplate, type: string): LocatedResource[] {
    return allResources(template).filter(
        (r) => r.resource.type.toLowerCase() === type.toLowerCase() && r.resource.existing !== true,
    );
}

const VARIABLE = /^\[variables\('([^']+)'\)\]$/;
const PARAMETER = /^\[parameters\('([^']+)'\)\]$/;
const STRING_OF_PARAMETER = /^\[string\(parameters\('([^']+)'\)\)\]$/;

/**
 * Resolves constants through variables, module parameters and parameter defaults. Anything else (runtime
 * expressions such as `reference(...)`) is returned as the expression string.
 */
export function resolve(value: unknown, scope: Scope): unknown {
    if (Array.isArray(value)) return value.map((v) => resolve(v, scope));
    if (value !== null && typeof value === 'object') {
        return Object.fromEntries(Object.entries(value).map(([k, v]) => [k, resolve(v, scope)]));
    }
    if (typeof value !== 'string') return value;
    const variable = VARIABLE.exec(value);
    if (variable?.[1] !== undefined) return resolve(scope.template.variables?.[variable[1]], scope);
    const parameter = PARAMETER.exec(value);
    if (parameter?.[1] !== undefined) return resolveParameter(parameter[1], scope);
    const stringOf = STRING_OF_PARAMETER.exec(value);
    if (stringOf?.[1] !== undefined) {
        const resolved = resolveParameter(stringOf[1], scope);
        return typeof resolved === 'number' || typeof resolved === 'boolean' ? String(resolved) : resolved;
    }
    return value;
}

function resolveParameter(name: string, scope: Scope): unknown {
    const passed = scope.passed?.[name];
    if (passed !== undefined && scope.parent !== undefined) return resolve(passed.value, scope.parent);
    return scope.template.parameters?.[name]?.defaultValue;
}

/** The module deployment (by symbolic name in main) and its template scope. */
export function moduleScope(template: ArmTemplate, moduleName: string): Scope {
    const located = allResources(template).find(
        (r) => r.resource.type === 'Microsoft.Resources/deployments' && r.symbol === moduleName,
    );
    const nested = located?.resource.properties?.template as ArmTemplate | undefined;
    if (located === undefined || nested === undefined) throw new Error(`module ${moduleName} not found`);
    const passed = (located.resource.properties?.parameters ?? {}) as Record<string, { value?: unknown }>;
    return { template: nested, passed, parent: located.scope, moduleName };
}

/** A module parameter's value as passed from main, resolved to constants. */
export function moduleParameter(template: ArmTemplate, moduleName: string, parameter: string): unknown {
    const scope = moduleScope(template, moduleName);
    return resolve(scope.passed?.[parameter]?.value, scope.parent!);
}

export interface AppSetting {
    name: string;
    value: unknown;
}

/** App settings of the (single) Function App, values resolved where they are constants. */
export function appSettings(template: ArmTemplate): AppSetting[] {
    const sites = created(template, 'Microsoft.Web/sites');
    if (sites.length !== 1) throw new Error(`expected one Microsoft.Web/sites, found ${sites.length}`);
    const site = sites[0]!;
    const siteConfig = site.resource.properties?.siteConfig as { appSettings?: AppSetting[] } | undefined;
    return (siteConfig?.appSettings ?? []).map((s) => ({
        name: s.name,
        value: resolve(s.value, site.scope),
    }));
}

/**
 * Inlines string-valued variables (`variables('x')`, `variables('x').y`) into an expression, for assertions
 * on expressions such as `[subscriptionResourceId('...', variables('roles').owner)]`.
 */
export function inlineVariables(expression: string, scope: Scope): string {
    return expression.replace(/variables\('([^']+)'\)(?:\.(\w+))?/g, (match, name: string, prop?: string) => {
        const value = resolve(scope.template.variables?.[name], scope);
        const picked = prop === undefined ? value : (value as Record<string, unknown> | undefined)?.[prop];
        return typeof picked === 'string' ? `'${picked}'` : match;
    });
}
