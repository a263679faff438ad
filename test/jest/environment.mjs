/**
 * Jest's Node test environment (jest-environment-node, unchanged in every other respect) with a test file's global
 * object made an ordinary object instead of a contextified sandbox, so code under test reads `Math`, `Array`,
 * `Number`, `JSON`... at full speed.
 *
 * Why: Jest runs each test file in a `vm` context. A context made from a sandbox object (Jest 30 passes a `Proxy`
 * to `vm.createContext`) routes every global lookup through V8 interceptors into Node's contextify code and the
 * proxy: a loop calling `Math.sin` ran 30 to 50 times slower than in the main context on Node 20 (nodejs/node#31658, jestjs/jest#5163;
 * Jest's `sandboxInjectedGlobals` workaround only reaches CommonJS, not the ESM modules this suite runs). The
 * simulator, geodesy, collision and gold code spend their time in such loops: those test files ran up to 10 times
 * longer than with this environment. `vm.constants.DONT_CONTEXTIFY` (Node 20.18+, 22.8+) creates the
 * context with a plain global object instead: no interceptors, lookups as fast as in the main context.
 *
 * How: the parent constructor builds its context with `vm.createContext(sandbox)` and then installs Jest's
 * globals (process, timers, Buffer, fake timers, the module mocker) on whatever global object that returns, so
 * the constructor runs with `createContext` returning a DONT_CONTEXTIFY context. What is lost: Jest 30's global
 * proxy, which records globals a test file sets and deletes them at teardown (a memory aid: the context is dropped
 * with the file anyway, as in Jest 29, which had no such proxy). On a Node without the constant this is Jest's own
 * environment.
 */
import vm from 'node:vm';

import { TestEnvironment as NodeEnvironment } from 'jest-environment-node';

const DONT_CONTEXTIFY = vm.constants?.DONT_CONTEXTIFY;

export default class PlainGlobalEnvironment extends NodeEnvironment {
    constructor(config, context) {
        const createContext = vm.createContext;
        if (DONT_CONTEXTIFY !== undefined) vm.createContext = () => createContext(DONT_CONTEXTIFY);
        try {
            super(config, context);
        } finally {
            vm.createContext = createContext;
        }
    }
}
