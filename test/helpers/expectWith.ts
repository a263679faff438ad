/**
 * `expect(value)` with a message that is put in front of the matcher's failure message, for assertions in
 * loops where the value alone does not say which case failed (Jest's `expect` takes no message argument).
 *
 *     for (const line of lines) expectWith(decode(line).kind, line).toBe('message');
 */
import { expect } from '@jest/globals';

type Expectation<T> = ReturnType<typeof expect<T>>;

export function expectWith<T>(actual: T, message: string): Expectation<T> {
    return withMessage(expect(actual), message) as Expectation<T>;
}

function withMessage(target: object, message: string): object {
    return new Proxy(target, {
        get(obj, prop, receiver) {
            const value: unknown = Reflect.get(obj, prop, receiver);
            if (prop === 'not' || prop === 'resolves' || prop === 'rejects')
                return withMessage(value as object, message);
            if (typeof value !== 'function') return value;
            return (...args: unknown[]): unknown => {
                try {
                    const result: unknown = (value as (...a: unknown[]) => unknown).apply(obj, args);
                    if (result instanceof Promise)
                        return result.catch((e: unknown) => {
                            throw annotate(e, message);
                        });
                    return result;
                } catch (error) {
                    throw annotate(error, message);
                }
            };
        },
    });
}

function annotate(error: unknown, message: string): unknown {
    if (!(error instanceof Error)) return error;
    error.message = `${message}\n\n${error.message}`;
    return error;
}
